package io.vigil.transforms.csv;

import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.records.Diabetes130;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Parses CSV lines that come from elsewhere (a message queue, a socket, a test) into {@link Row}s of
 * {@code spec.schema()}, exactly as {@link ReadClinicalCsv} parses file lines. Lines are data lines, in the spec's
 * column order unless {@link #withHeader} says otherwise; a rejected line becomes a dead letter with the reason (its
 * location is empty: a stream has no line numbers). Counters {@code records} and {@code deadLetters} in the namespace
 * of this class.
 */
@AutoValue
public abstract class ParseClinicalCsv extends PTransform<PCollection<String>, ReadClinicalCsv.Result> {
  private static final long serialVersionUID = 1L;

  abstract ColumnSpec spec();

  abstract String missingMarker();

  abstract @Nullable String header();

  abstract String sourceName();

  abstract Builder toBuilder();

  /** Lines in {@link Diabetes130#SPEC} order, {@code ?} for missing, named {@code ParseClinicalCsv} in dead letters. */
  public static ParseClinicalCsv create() {
    return new AutoValue_ParseClinicalCsv.Builder()
        .setSpec(Diabetes130.SPEC)
        .setMissingMarker("?")
        .setSourceName("ParseClinicalCsv")
        .build();
  }

  public ParseClinicalCsv withSpec(ColumnSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("spec must not be null");
    }
    return toBuilder().setSpec(spec).build();
  }

  public ParseClinicalCsv withMissingMarker(String marker) {
    if (marker == null || marker.contains(",") || marker.contains("\"") || marker.contains("\n")) {
      throw new IllegalArgumentException("missing marker must be non-null, without commas, quotes or line breaks: "
          + marker);
    }
    return toBuilder().setMissingMarker(marker).build();
  }

  /** The header line that says how the fields of each line are ordered; it must name exactly the spec's columns. */
  public ParseClinicalCsv withHeader(String headerLine) {
    if (headerLine == null || headerLine.isBlank()) {
      throw new IllegalArgumentException("header line must not be blank");
    }
    return toBuilder().setHeader(headerLine).build();
  }

  /** The name dead letters give as their source, e.g. the topic the lines came from. */
  public ParseClinicalCsv withSourceName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("source name must not be blank");
    }
    return toBuilder().setSourceName(name).build();
  }

  @Override
  public ReadClinicalCsv.Result expand(PCollection<String> lines) {
    CsvRecordParser parser = header() == null
        ? CsvRecordParser.inSpecOrder(spec(), missingMarker())
        : CsvRecordParser.forHeader(spec(), missingMarker(), header());
    if (parser.headerProblem() != null) {
      throw new IllegalArgumentException(parser.headerProblem());
    }
    PCollectionTuple parsed = lines.apply("Parse", ParDo.of(new ParseLineFn(parser, sourceName()))
        .withOutputTags(ReadClinicalCsv.RECORDS, TupleTagList.of(ReadClinicalCsv.DEAD_LETTERS)));
    return new ReadClinicalCsv.Result(lines.getPipeline(),
        parsed.get(ReadClinicalCsv.RECORDS).setCoder(SchemaCoder.of(spec().schema())),
        parsed.get(ReadClinicalCsv.DEAD_LETTERS).setCoder(ReadClinicalCsv.deadLetterCoder(lines.getPipeline())));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSpec(ColumnSpec spec);

    abstract Builder setMissingMarker(String marker);

    abstract Builder setHeader(@Nullable String header);

    abstract Builder setSourceName(String name);

    abstract ParseClinicalCsv build();
  }

  static final class ParseLineFn extends DoFn<String, Row> {
    private final Counter recordsOut = Metrics.counter(ParseClinicalCsv.class, "records");
    private final Counter deadLettersOut = Metrics.counter(ParseClinicalCsv.class, "deadLetters");
    private final CsvRecordParser parser;
    private final String sourceName;

    ParseLineFn(CsvRecordParser parser, String sourceName) {
      this.parser = parser;
      this.sourceName = sourceName;
    }

    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
      String withoutCarriageReturn = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      CsvRecordParser.Outcome outcome = parser.parse(withoutCarriageReturn);
      if (outcome.row() != null) {
        recordsOut.inc();
        out.get(ReadClinicalCsv.RECORDS).output(outcome.row());
      } else {
        deadLettersOut.inc();
        out.get(ReadClinicalCsv.DEAD_LETTERS).output(DeadLetter.of(sourceName, "", outcome.reason(), line));
      }
    }
  }
}
