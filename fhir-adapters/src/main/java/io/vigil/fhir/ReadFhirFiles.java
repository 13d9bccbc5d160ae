package io.vigil.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.DeadLetter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads FHIR R4 files from any Beam filesystem path or glob and maps their Encounters to records.
 *
 * <ul>
 *   <li>{@link #bundles(String)}: one JSON Bundle per file (transaction, batch, collection, searchset, document), as
 *       Synthea writes them. A bundle must hold its patients' whole records (Synthea's per-patient bundles,
 *       {@code $everything}); each bundle is mapped on its own, without a shuffle.
 *   <li>{@link #ndjson(String)}: newline-delimited resources as FHIR Bulk Data {@code $export} writes them, one file
 *       per resource type. Resources are grouped by their patient across all files (a GroupByKey) before mapping.
 * </ul>
 *
 * <p>A file or line that is not valid R4 JSON, and a clinical resource without a subject, becomes a dead letter with
 * the parser's reason. Resource types the mapping does not read (Claim, Organization, ...) are skipped and counted in
 * the metric {@code vigil.fhir/resourcesSkipped}.
 */
@AutoValue
public abstract class ReadFhirFiles extends PTransform<PBegin, FhirRecords> {
  private static final long serialVersionUID = 1L;

  /** The file layouts this source reads. */
  public enum Format {
    BUNDLE,
    NDJSON
  }

  abstract String filepattern();

  abstract Format format();

  abstract EmptyMatchTreatment emptyMatchTreatment();

  abstract Builder toBuilder();

  /** Bundles, one JSON Bundle per file, from a path or glob such as {@code gs://bucket/synthea/*.json}. */
  public static ReadFhirFiles bundles(String filepattern) {
    return of(filepattern, Format.BUNDLE);
  }

  /** Bulk-export NDJSON files from a path or glob such as {@code /export/*.ndjson}. */
  public static ReadFhirFiles ndjson(String filepattern) {
    return of(filepattern, Format.NDJSON);
  }

  private static ReadFhirFiles of(String filepattern, Format format) {
    if (filepattern == null || filepattern.isBlank()) {
      throw new IllegalArgumentException("a file path or glob must be given");
    }
    return new AutoValue_ReadFhirFiles.Builder()
        .setFilepattern(filepattern)
        .setFormat(format)
        .setEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW)
        .build();
  }

  /** What to do when the pattern matches no file; by default that is an error, as it usually is a typo. */
  public ReadFhirFiles withEmptyMatchTreatment(EmptyMatchTreatment treatment) {
    if (treatment == null) {
      throw new IllegalArgumentException("the empty-match treatment must not be null");
    }
    return toBuilder().setEmptyMatchTreatment(treatment).build();
  }

  @Override
  public FhirRecords expand(PBegin input) {
    PCollection<FileIO.ReadableFile> files = input
        .apply("Match", FileIO.match().filepattern(filepattern()).withEmptyMatchTreatment(emptyMatchTreatment()))
        .apply("Open", FileIO.readMatches());
    if (format() == Format.BUNDLE) {
      return FhirRecords.of(files.apply("MapBundles",
          ParDo.of(new MapBundleFn()).withOutputTags(FhirRecords.RECORDS, TupleTagList.of(FhirRecords.DEAD_LETTERS))));
    }
    PCollectionTuple lines = files.apply("ReadLines",
        ParDo.of(new KeyByPatientFn()).withOutputTags(KeyByPatientFn.KEYED, TupleTagList.of(FhirRecords.DEAD_LETTERS)));
    PCollectionTuple mapped = lines.get(KeyByPatientFn.KEYED)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("GroupByPatient", GroupByKey.create())
        .apply("MapPatients",
            ParDo.of(new MapPatientFn()).withOutputTags(FhirRecords.RECORDS, TupleTagList.of(FhirRecords.DEAD_LETTERS)));
    PCollection<DeadLetter> deadLetters = FhirRecords.flattenDeadLetters("AllDeadLetters",
        List.of(lines.get(FhirRecords.DEAD_LETTERS), mapped.get(FhirRecords.DEAD_LETTERS)));
    return FhirRecords.of(PCollectionTuple.of(FhirRecords.RECORDS, mapped.get(FhirRecords.RECORDS))
        .and(FhirRecords.DEAD_LETTERS, deadLetters));
  }

  private static final Counter SKIPPED = Metrics.counter("vigil.fhir", "resourcesSkipped");

  /**
   * The patient a mapped resource belongs to; null for resource types the mapping does not read (counted as
   * skipped).
   *
   * @throws IllegalArgumentException for a mapped type without the subject or id that places it in a record
   */
  static @Nullable String patientKey(IBaseResource resource) {
    String type = resource.fhirType();
    if (!PatientResources.MAPPED_TYPES.contains(type)) {
      SKIPPED.inc();
      return null;
    }
    String patient = PatientResources.patientIdOf(resource);
    if (patient == null) {
      throw new IllegalArgumentException("Patient".equals(type) ? "Patient has no logical id"
          : type + " has no subject reference, so it cannot be placed in a patient's record");
    }
    return patient;
  }

  /** Parses each bundle, groups its entries by patient and maps every patient's encounters. */
  static final class MapBundleFn extends DoFn<FileIO.ReadableFile, Row> {
    private static final long serialVersionUID = 1L;
    private static final Set<Bundle.BundleType> READ_TYPES = EnumSet.of(Bundle.BundleType.TRANSACTION,
        Bundle.BundleType.BATCH, Bundle.BundleType.COLLECTION, Bundle.BundleType.SEARCHSET, Bundle.BundleType.DOCUMENT);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String path = file.getMetadata().resourceId().toString();
      Bundle bundle;
      try {
        bundle = bundleParser().parseResource(Bundle.class, file.readFullyAsUTF8String());
      } catch (IOException | DataFormatException | ClassCastException e) {
        out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(path, "",
            "not a valid FHIR R4 JSON Bundle: " + FhirRecords.reasonOf(e), null));
        return;
      }
      if (!READ_TYPES.contains(bundle.getType())) {
        out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(path, "",
            "bundle type " + bundle.getType() + " is not read; expected one of " + READ_TYPES, null));
        return;
      }
      Map<String, PatientResources.Builder> patients = new LinkedHashMap<>();
      int index = 0;
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        index++;
        if (!entry.hasResource() || entry.hasRequest()
            && entry.getRequest().getMethod() == Bundle.HTTPVerb.DELETE) {
          continue;
        }
        Resource resource = entry.getResource();
        if (!resource.getIdElement().hasIdPart() && entry.hasFullUrl()) {
          resource.setId(ResourceReferences.logicalId(entry.getFullUrl()));
        }
        try {
          String patient = patientKey(resource);
          if (patient != null) {
            patients.computeIfAbsent(patient, p -> PatientResources.builder()).add(resource);
          }
        } catch (IllegalArgumentException e) {
          out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(path, "entry " + index, e.getMessage(), null));
        }
      }
      for (PatientResources.Builder patient : patients.values()) {
        FhirRecords.emitRecords(patient.build(), null, path, out);
      }
    }

    /** References in bundles are full URLs; ids must stay the resources' own, so fullUrl does not override them. */
    private static IParser bundleParser() {
      IParser parser = FhirContexts.strictJsonParser();
      parser.setOverrideResourceIdWithBundleEntryFullUrl(false);
      return parser;
    }
  }

  /** Reads NDJSON line by line and keys each mapped resource by its patient: (patient, (location, line)). */
  static final class KeyByPatientFn extends DoFn<FileIO.ReadableFile, KV<String, KV<String, String>>> {
    private static final long serialVersionUID = 1L;
    static final TupleTag<KV<String, KV<String, String>>> KEYED = new TupleTag<KV<String, KV<String, String>>>() {};

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String path = file.getMetadata().resourceId().toString();
      IParser parser = FhirContexts.strictJsonParser();
      int lineNumber = 0;
      try (Reader reader = Channels.newReader(file.open(), StandardCharsets.UTF_8);
          BufferedReader lines = new BufferedReader(reader)) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          lineNumber++;
          if (line.isBlank()) {
            continue;
          }
          String location = path + ":" + lineNumber;
          try {
            String patient = patientKey(parser.parseResource(line));
            if (patient != null) {
              out.get(KEYED).output(KV.of(patient, KV.of(location, line)));
            }
          } catch (DataFormatException | IllegalArgumentException e) {
            out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(path, "line " + lineNumber,
                "not a valid FHIR R4 resource: " + FhirRecords.reasonOf(e), line));
          }
        }
      } catch (IOException e) {
        out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(path, "line " + (lineNumber + 1),
            "could not read the file: " + FhirRecords.reasonOf(e), null));
      }
    }
  }

  /** Parses one patient's resources (validated already when keyed), indexes them and maps their encounters. */
  static final class MapPatientFn extends DoFn<KV<String, Iterable<KV<String, String>>>, Row> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<String, String>>> patient, MultiOutputReceiver out) {
      IParser parser = FhirContexts.strictJsonParser();
      PatientResources.Builder builder = PatientResources.builder();
      List<String> sources = new ArrayList<>();
      for (KV<String, String> located : patient.getValue()) {
        try {
          builder.add(parser.parseResource(located.getValue()));
        } catch (IllegalArgumentException e) {
          out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(located.getKey(), "",
              FhirRecords.reasonOf(e), located.getValue()));
        }
        if (sources.isEmpty()) {
          sources.add(located.getKey().substring(0, located.getKey().lastIndexOf(':')));
        }
      }
      FhirRecords.emitRecords(builder.build(), null, sources.isEmpty() ? "ndjson" : sources.get(0), out);
    }
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setFilepattern(String filepattern);

    abstract Builder setFormat(Format format);

    abstract Builder setEmptyMatchTreatment(EmptyMatchTreatment treatment);

    abstract ReadFhirFiles build();
  }
}
