package io.vigil.transforms.csv;

import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.ColumnSpec;
import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.records.Diabetes130;
import io.vigil.transforms.split.NotebookSample;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads clinical CSV files (a header line, then one record per line) into {@link Row}s of {@code spec.schema()},
 * sending every line it cannot turn into a record to {@link Result#deadLetters()} with its line number and the reason.
 *
 * <pre>{@code
 * ReadClinicalCsv.Result csv = pipeline.apply(
 *     ReadClinicalCsv.from("data/dataset_diabetes.zip!dataset_diabetes/diabetic_data.csv"));
 * PCollection<Row> records = csv.records();
 * }</pre>
 *
 * <p><b>Sources.</b> {@link #from} takes a path or glob that Beam's {@code FileSystems} understands. A name ending in
 * {@code .gz}, {@code .bz2}, {@code .zst}, {@code .lzo}, {@code .deflate} is decompressed. A single entry of a zip
 * archive is addressed as {@code archive.zip!entry/path.csv}.
 *
 * <p><b>Scaling.</b> Plain files are cut into byte ranges of {@link #withDesiredSplitBytes} that different workers
 * read. A first, cheap pass counts the lines of every range, so that each range knows the number of its first line:
 * dead letters carry exact line numbers and the notebook sample can address rows by position. A compressed file or a
 * zip entry cannot be cut (a Deflate stream cannot be entered in the middle): one worker reads it, after which the
 * records are redistributed ({@link Reshuffle}) so that what follows runs in parallel.
 *
 * <p><b>Accounting.</b> Blank lines are not rows (as in pandas) and are counted as {@code blankLines}. Every other
 * line after the header is a data row ({@code dataRows}) and becomes a record ({@code records}), a dead letter
 * ({@code deadLetters}) or, with {@link #withNotebookSample}, is left out of the sample ({@code notSampled}):
 * {@code dataRows = records + deadLetters + notSampled}. All are Beam counters in the namespace of this class. A file
 * whose header does not name exactly the spec's columns sends each of its rows to the dead letters with that reason.
 *
 * <p>A record is one line: a quoted field cannot hold a line break (the line is then rejected as invalid CSV).
 */
@AutoValue
public abstract class ReadClinicalCsv extends PTransform<PBegin, ReadClinicalCsv.Result> {
  private static final long serialVersionUID = 1L;

  /** How a zip entry is addressed: {@code archive.zip!entry/path.csv}. */
  public static final String ZIP_ENTRY_SEPARATOR = "!";

  /** 64 MiB: large enough that the per-range overhead is negligible, small enough to spread a big file. */
  public static final long DEFAULT_SPLIT_BYTES = 64L << 20;

  static final TupleTag<Row> RECORDS = new TupleTag<>("records") {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  abstract String filepattern();

  abstract @Nullable String zipEntry();

  abstract ColumnSpec spec();

  abstract String missingMarker();

  abstract long desiredSplitBytes();

  abstract @Nullable NotebookSample sample();

  abstract Builder toBuilder();

  /**
   * Reads {@code pathOrGlob}: a plain or compressed file or glob, or a zip entry as {@code archive.zip!entry}. The
   * default spec is {@link Diabetes130#SPEC}, the default missing marker {@code ?}.
   */
  public static ReadClinicalCsv from(String pathOrGlob) {
    if (pathOrGlob == null || pathOrGlob.isBlank()) {
      throw new IllegalArgumentException("a path or glob to read must be given");
    }
    String filepattern = pathOrGlob;
    String entry = null;
    int zipMark = pathOrGlob.toLowerCase(Locale.ROOT).lastIndexOf(".zip" + ZIP_ENTRY_SEPARATOR);
    if (zipMark >= 0) {
      filepattern = pathOrGlob.substring(0, zipMark + 4);
      entry = pathOrGlob.substring(zipMark + 4 + ZIP_ENTRY_SEPARATOR.length());
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("no zip entry named after '" + ZIP_ENTRY_SEPARATOR + "' in " + pathOrGlob);
      }
    }
    return new AutoValue_ReadClinicalCsv.Builder()
        .setFilepattern(filepattern)
        .setZipEntry(entry)
        .setSpec(Diabetes130.SPEC)
        .setMissingMarker("?")
        .setDesiredSplitBytes(DEFAULT_SPLIT_BYTES)
        .build();
  }

  /** The column layout the header is checked against and the records have. */
  public ReadClinicalCsv withSpec(ColumnSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("spec must not be null");
    }
    return toBuilder().setSpec(spec).build();
  }

  /** The field value meaning "missing" (besides an empty field); {@code ?} by default, as in the diabetes data. */
  public ReadClinicalCsv withMissingMarker(String marker) {
    if (marker == null || marker.contains(",") || marker.contains("\"") || marker.contains("\n")) {
      throw new IllegalArgumentException("missing marker must be non-null, without commas, quotes or line breaks: "
          + marker);
    }
    return toBuilder().setMissingMarker(marker).build();
  }

  /** The size of the byte ranges a plain file is cut into; {@link #DEFAULT_SPLIT_BYTES} by default. */
  public ReadClinicalCsv withDesiredSplitBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("split size must be positive, got " + bytes);
    }
    return toBuilder().setDesiredSplitBytes(bytes).build();
  }

  /**
   * Keeps only the data rows that pandas' {@code df.sample(n=sampleSize, random_state=seed)} keeps (see
   * {@link NotebookSample}); the population is the number of data rows of each file.
   */
  public ReadClinicalCsv withNotebookSample(int sampleSize, long seed) {
    return toBuilder().setSample(NotebookSample.of(sampleSize, seed)).build();
  }

  @Override
  public Result expand(PBegin input) {
    String pattern = filepattern();
    PCollection<CsvSplit> splits = input
        .apply("Match", FileIO.match().filepattern(pattern))
        .apply("PlanSplits", ParDo.of(new PlanSplitsFn(zipEntry(), desiredSplitBytes())))
        .apply("SpreadSplits", Reshuffle.viaRandomKey());
    PCollectionTuple numbered = splits
        .apply("CountLines", ParDo.of(new CountLinesFn()))
        .apply("GroupByFile", GroupByKey.create())
        .apply("NumberLines", ParDo.of(new NumberLinesFn())
            .withOutputTags(NUMBERED, TupleTagList.of(DEAD_LETTERS)));
    PCollectionTuple parsed = numbered.get(NUMBERED)
        .apply("SpreadNumberedSplits", Reshuffle.viaRandomKey())
        .apply("Parse", ParDo.of(new ParseSplitFn(spec(), missingMarker(), sample()))
            .withOutputTags(RECORDS, TupleTagList.of(DEAD_LETTERS)));
    PCollection<Row> records = parsed.get(RECORDS).setCoder(SchemaCoder.of(spec().schema()));
    if (zipEntry() != null || Compression.detect(pattern) != Compression.UNCOMPRESSED) {
      records = records.apply("SpreadRecords", Reshuffle.viaRandomKey()).setCoder(SchemaCoder.of(spec().schema()));
    }
    Coder<DeadLetter> deadLetterCoder = deadLetterCoder(input.getPipeline());
    PCollection<DeadLetter> deadLetters = PCollectionList
        .of(numbered.get(DEAD_LETTERS).setCoder(deadLetterCoder))
        .and(parsed.get(DEAD_LETTERS).setCoder(deadLetterCoder))
        .apply("AllDeadLetters", Flatten.pCollections());
    return new Result(input.getPipeline(), records, deadLetters);
  }

  static Coder<DeadLetter> deadLetterCoder(Pipeline pipeline) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(DeadLetter.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("DeadLetter has no schema; it is annotated @DefaultSchema", e);
    }
  }

  /** What a CSV read or parse produces: the records and the dead letters. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<Row> records;
    private final PCollection<DeadLetter> deadLetters;

    Result(Pipeline pipeline, PCollection<Row> records, PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.records = records;
      this.deadLetters = deadLetters;
    }

    /** The records, with the schema of the spec. */
    public PCollection<Row> records() {
      return records;
    }

    /** One per rejected line: the source, {@code line N}, the reason and the line itself. */
    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(RECORDS, records, DEAD_LETTERS, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input,
        PTransform<?, ?> transform) {}
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setFilepattern(String filepattern);

    abstract Builder setZipEntry(@Nullable String zipEntry);

    abstract Builder setSpec(ColumnSpec spec);

    abstract Builder setMissingMarker(String marker);

    abstract Builder setDesiredSplitBytes(long bytes);

    abstract Builder setSample(@Nullable NotebookSample sample);

    abstract ReadClinicalCsv build();
  }

  private static final TupleTag<NumberedSplit> NUMBERED = new TupleTag<>("numbered") {};

  /** What the counting pass learnt about one split. */
  @DefaultCoder(SerializableCoder.class)
  record SplitCount(CsvSplit split, long lines, long dataRows, @Nullable String header) implements Serializable {}

  /** A split with the number of its first line and the index of its first data row in its file. */
  @DefaultCoder(SerializableCoder.class)
  record NumberedSplit(CsvSplit split, long firstLineNumber, long firstRowIndex, long fileRows, String header)
      implements Serializable {}

  /** Cuts every matched file into splits. */
  static final class PlanSplitsFn extends DoFn<MatchResult.Metadata, CsvSplit> {
    private final @Nullable String zipEntry;
    private final long desiredSplitBytes;

    PlanSplitsFn(@Nullable String zipEntry, long desiredSplitBytes) {
      this.zipEntry = zipEntry;
      this.desiredSplitBytes = desiredSplitBytes;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, OutputReceiver<CsvSplit> out) {
      String name = file.resourceId().toString();
      Compression compression = zipEntry == null ? Compression.detect(name) : Compression.UNCOMPRESSED;
      for (CsvSplit split : CsvSplit.of(name, zipEntry, compression, file.sizeBytes(), desiredSplitBytes)) {
        out.output(split);
      }
    }
  }

  /** First pass: the lines and data rows that start in each split, and the header from the first split. */
  static final class CountLinesFn extends DoFn<CsvSplit, KV<String, SplitCount>> {
    @ProcessElement
    public void process(@Element CsvSplit split, OutputReceiver<KV<String, SplitCount>> out) throws IOException {
      long[] lines = {0};
      long[] dataRows = {0};
      String[] header = {null};
      split.forEachLine(line -> {
        lines[0]++;
        if (split.start() == 0 && lines[0] == 1) {
          header[0] = line.text();
        } else if (!line.isBlank()) {
          dataRows[0]++;
        }
      });
      out.output(KV.of(split.sourceName(), new SplitCount(split, lines[0], dataRows[0], header[0])));
    }
  }

  /** Gives each split of a file the number of its first line and the file's header, in file order. */
  static final class NumberLinesFn extends DoFn<KV<String, Iterable<SplitCount>>, NumberedSplit> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<SplitCount>> file, MultiOutputReceiver out) {
      List<SplitCount> counts = new ArrayList<>();
      file.getValue().forEach(counts::add);
      counts.sort(Comparator.comparingLong(count -> count.split().start()));
      SplitCount first = counts.get(0);
      if (first.header() == null) {
        out.get(DEAD_LETTERS).output(
            DeadLetter.of(file.getKey(), "line 1", "file is empty: no header line", null));
        return;
      }
      long fileRows = 0;
      for (SplitCount count : counts) {
        fileRows += count.dataRows();
      }
      long lineNumber = 1;
      long rowIndex = 0;
      for (SplitCount count : counts) {
        out.get(NUMBERED).output(new NumberedSplit(count.split(), lineNumber, rowIndex, fileRows, first.header()));
        lineNumber += count.lines();
        rowIndex += count.dataRows();
      }
    }
  }

  /** Second pass: parses the lines of each split into records and dead letters. */
  static final class ParseSplitFn extends DoFn<NumberedSplit, Row> {
    private final Counter dataRows = Metrics.counter(ReadClinicalCsv.class, "dataRows");
    private final Counter recordsOut = Metrics.counter(ReadClinicalCsv.class, "records");
    private final Counter deadLettersOut = Metrics.counter(ReadClinicalCsv.class, "deadLetters");
    private final Counter notSampled = Metrics.counter(ReadClinicalCsv.class, "notSampled");
    private final Counter blankLines = Metrics.counter(ReadClinicalCsv.class, "blankLines");
    private final ColumnSpec spec;
    private final String missingMarker;
    private final @Nullable NotebookSample sample;
    private transient long sampledPopulation = -1;
    private transient @Nullable BitSet sampled;

    ParseSplitFn(ColumnSpec spec, String missingMarker, @Nullable NotebookSample sample) {
      this.spec = spec;
      this.missingMarker = missingMarker;
      this.sample = sample;
    }

    @ProcessElement
    public void process(@Element NumberedSplit numbered, MultiOutputReceiver out) throws IOException {
      CsvSplit split = numbered.split();
      CsvRecordParser parser = CsvRecordParser.forHeader(spec, missingMarker, numbered.header());
      BitSet keep = sample == null ? null : sampledRows(numbered.fileRows());
      long[] lineNumber = {numbered.firstLineNumber() - 1};
      long[] rowIndex = {numbered.firstRowIndex()};
      split.forEachLine(line -> {
        lineNumber[0]++;
        if (lineNumber[0] == 1) {
          return;
        }
        if (line.isBlank()) {
          blankLines.inc();
          return;
        }
        long row = rowIndex[0]++;
        dataRows.inc();
        if (keep != null && !keep.get(Math.toIntExact(row))) {
          notSampled.inc();
          return;
        }
        String text = line.text();
        CsvRecordParser.Outcome outcome = parser.parse(text);
        if (outcome.row() != null) {
          recordsOut.inc();
          out.get(RECORDS).output(outcome.row());
        } else {
          deadLettersOut.inc();
          out.get(DEAD_LETTERS).output(
              DeadLetter.of(split.sourceName(), "line " + lineNumber[0], outcome.reason(), text));
        }
      });
    }

    private BitSet sampledRows(long population) {
      if (sampled == null || sampledPopulation != population) {
        sampled = sample.selectedPositions(Math.toIntExact(population));
        sampledPopulation = population;
      }
      return sampled;
    }
  }
}
