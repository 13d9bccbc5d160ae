package io.vigil.fhir;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.AnomalyResult;
import io.vigil.transforms.records.DeadLetter;
import io.vigil.transforms.records.Diabetes130;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.Pipeline;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes verdicts back as FHIR: one {@code RiskAssessment} per {@link AnomalyResult}, and optionally a {@code Flag}
 * per anomaly (see {@link RiskAssessmentResources} for their content). They are written as NDJSON files, one per
 * resource type as a bulk export names them ({@code <prefix>RiskAssessment-00000-of-00001.ndjson}), and optionally
 * PUT to a server in transaction bundles.
 *
 * <p><b>Subject.</b> A RiskAssessment must name its Patient, and a verdict carries only the encounter id. The
 * records the verdicts were scored from carry the Patient id in {@code patient_nbr} (every FHIR source fills it), so
 * {@link #withSourceRecords} joins them by encounter id (a CoGroupByKey): no server round trip, works for file
 * sources too. A verdict with no source record, or whose record has no {@code patient_nbr}, is a dead letter.
 */
@AutoValue
public abstract class WriteRiskAssessments
    extends PTransform<PCollection<AnomalyResult>, WriteRiskAssessments.Result> {
  private static final long serialVersionUID = 1L;
  private static final int BATCH_KEYS = 16;

  abstract String outputPrefix();

  abstract @Nullable PCollection<Row> sourceRecords();

  abstract boolean flags();

  abstract @Nullable FhirServer server();

  abstract int batchSize();

  abstract Builder toBuilder();

  /**
   * Writes NDJSON files under a path prefix on any Beam filesystem: a directory ending in {@code /}, or a directory
   * plus a file-name stem.
   */
  public static WriteRiskAssessments to(String outputPrefix) {
    if (outputPrefix == null || outputPrefix.isBlank()) {
      throw new IllegalArgumentException("an output path prefix must be given");
    }
    return new AutoValue_WriteRiskAssessments.Builder()
        .setOutputPrefix(outputPrefix)
        .setFlags(false)
        .setBatchSize(100)
        .build();
  }

  /** The records (of {@link Diabetes130#SCHEMA}) the verdicts were scored from; required, they name the Patient. */
  public WriteRiskAssessments withSourceRecords(PCollection<Row> records) {
    if (records == null) {
      throw new IllegalArgumentException("the source records must not be null");
    }
    if (!records.getSchema().hasField(Diabetes130.ID_COLUMN) || !records.getSchema().hasField("patient_nbr")) {
      throw new IllegalArgumentException("source records need the fields encounter_id and patient_nbr, got "
          + records.getSchema().getFieldNames());
    }
    return toBuilder().setSourceRecords(records).build();
  }

  /** Also writes a Flag for each anomaly ({@code <prefix>Flag-*.ndjson}, and to the server if set). */
  public WriteRiskAssessments withFlags() {
    return toBuilder().setFlags(true).build();
  }

  /** Also PUTs the resources to the server, {@link #withBatchSize} per transaction bundle. */
  public WriteRiskAssessments withServer(FhirServer server) {
    if (server == null) {
      throw new IllegalArgumentException("the FHIR server must not be null");
    }
    return toBuilder().setServer(server).build();
  }

  public WriteRiskAssessments withBatchSize(int resources) {
    if (resources < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + resources);
    }
    return toBuilder().setBatchSize(resources).build();
  }

  @Override
  public Result expand(PCollection<AnomalyResult> results) {
    if (sourceRecords() == null) {
      throw new IllegalStateException("WriteRiskAssessments needs withSourceRecords(records): the records name the"
          + " Patient each RiskAssessment is about");
    }
    TupleTag<AnomalyResult> resultTag = new TupleTag<>();
    TupleTag<String> patientTag = new TupleTag<>();
    PCollection<KV<String, AnomalyResult>> resultsByEncounter = results.apply("KeyResults",
        WithKeys.of(AnomalyResult::recordId).withKeyType(TypeDescriptors.strings()));
    PCollection<KV<String, String>> patientsByEncounter = sourceRecords().apply("PatientOfEncounter",
        MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via(row -> KV.of(row.getString(Diabetes130.ID_COLUMN),
                row.getString("patient_nbr") == null ? "" : row.getString("patient_nbr"))));
    PCollectionTuple built = KeyedPCollectionTuple.of(resultTag, resultsByEncounter)
        .and(patientTag, patientsByEncounter)
        .apply("JoinPatients", CoGroupByKey.create())
        .apply("BuildResources", ParDo.of(new BuildResourcesFn(resultTag, patientTag, flags()))
            .withOutputTags(BuildResourcesFn.RISK_ASSESSMENTS,
                TupleTagList.of(BuildResourcesFn.FLAGS).and(FhirRecords.DEAD_LETTERS)));
    PCollection<String> riskAssessments =
        built.get(BuildResourcesFn.RISK_ASSESSMENTS).setCoder(StringUtf8Coder.of());
    PCollection<String> flagLines = built.get(BuildResourcesFn.FLAGS).setCoder(StringUtf8Coder.of());
    riskAssessments.apply("WriteRiskAssessmentNdjson",
        TextIO.write().to(outputPrefix() + "RiskAssessment").withSuffix(".ndjson"));
    if (flags()) {
      flagLines.apply("WriteFlagNdjson", TextIO.write().to(outputPrefix() + "Flag").withSuffix(".ndjson"));
    }
    List<PCollection<DeadLetter>> deadLetters = new ArrayList<>();
    deadLetters.add(built.get(FhirRecords.DEAD_LETTERS));
    if (server() != null) {
      PCollection<DeadLetter> postFailures = PCollectionList.of(riskAssessments).and(flagLines)
          .apply("AllResources", Flatten.pCollections())
          .apply("SpreadResources", WithKeys.of((String json) -> Math.floorMod(json.hashCode(), BATCH_KEYS))
              .withKeyType(TypeDescriptors.integers()))
          .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()))
          .apply("Batch", GroupIntoBatches.ofSize(batchSize()))
          .apply("PutTransactions", ParDo.of(new PutTransactionFn(server())));
      deadLetters.add(postFailures);
    }
    return new Result(results.getPipeline(), riskAssessments, flagLines,
        FhirRecords.flattenDeadLetters("AllDeadLetters", deadLetters));
  }

  /** Joins each verdict to its patient and encodes the resources as JSON lines. */
  static final class BuildResourcesFn extends DoFn<KV<String, CoGbkResult>, String> {
    private static final long serialVersionUID = 1L;
    static final TupleTag<String> RISK_ASSESSMENTS = new TupleTag<String>() {};
    static final TupleTag<String> FLAGS = new TupleTag<String>() {};

    private final TupleTag<AnomalyResult> resultTag;
    private final TupleTag<String> patientTag;
    private final boolean flags;

    BuildResourcesFn(TupleTag<AnomalyResult> resultTag, TupleTag<String> patientTag, boolean flags) {
      this.resultTag = resultTag;
      this.patientTag = patientTag;
      this.flags = flags;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, MultiOutputReceiver out) {
      String patient = null;
      for (String candidate : joined.getValue().getAll(patientTag)) {
        patient = candidate.isEmpty() ? patient : candidate;
      }
      IParser writer = FhirContexts.jsonWriter();
      for (AnomalyResult result : joined.getValue().getAll(resultTag)) {
        if (patient == null) {
          out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of("WriteRiskAssessments", "Encounter/" + joined.getKey(),
              "no source record with a patient_nbr for this encounter, so the RiskAssessment has no subject", null));
          continue;
        }
        try {
          out.get(RISK_ASSESSMENTS).output(
              writer.encodeResourceToString(RiskAssessmentResources.riskAssessment(result, patient)));
        } catch (IllegalArgumentException e) {
          out.get(FhirRecords.DEAD_LETTERS).output(
              DeadLetter.of("WriteRiskAssessments", "Encounter/" + joined.getKey(), e.getMessage(), null));
          continue;
        }
        if (flags && result.anomaly()) {
          out.get(FLAGS).output(writer.encodeResourceToString(RiskAssessmentResources.flag(result, patient)));
        }
      }
    }
  }

  /** PUTs one batch of resources as a transaction bundle (idempotent: the ids are deterministic). */
  static final class PutTransactionFn extends DoFn<KV<Integer, Iterable<String>>, DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final FhirServer server;
    private transient IGenericClient client;

    PutTransactionFn(FhirServer server) {
      this.server = server;
    }

    @Setup
    public void setup() {
      client = server.newClient();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> batch, OutputReceiver<DeadLetter> out) {
      IParser parser = FhirContexts.r4().newJsonParser();
      Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
      List<String> references = new ArrayList<>();
      for (String json : batch.getValue()) {
        Resource resource = (Resource) parser.parseResource(json);
        String reference = resource.fhirType() + "/" + resource.getIdPart();
        references.add(reference);
        transaction.addEntry().setFullUrl(server.baseUrl() + "/" + reference).setResource(resource)
            .getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(reference);
      }
      try {
        server.retrying().call("transaction of " + references.size() + " resources",
            () -> client.transaction().withBundle(transaction).execute());
      } catch (RetryingCalls.FhirRequestException e) {
        for (String reference : references) {
          out.output(DeadLetter.of(server.baseUrl(), reference, e.getMessage(), null));
        }
      }
    }
  }

  /** The JSON lines written (RiskAssessments, Flags) and the verdicts or writes that failed. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<String> riskAssessments;
    private final PCollection<String> flags;
    private final PCollection<DeadLetter> deadLetters;

    Result(Pipeline pipeline, PCollection<String> riskAssessments, PCollection<String> flags,
        PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.riskAssessments = riskAssessments;
      this.flags = flags;
      this.deadLetters = deadLetters;
    }

    /** Each RiskAssessment as one line of JSON, as written to the NDJSON files. */
    public PCollection<String> riskAssessments() {
      return riskAssessments;
    }

    /** Each Flag as one line of JSON; empty unless {@link #withFlags()}. */
    public PCollection<String> flags() {
      return flags;
    }

    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public java.util.Map<TupleTag<?>, PValue> expand() {
      return java.util.Map.of(BuildResourcesFn.RISK_ASSESSMENTS, riskAssessments, BuildResourcesFn.FLAGS, flags,
          FhirRecords.DEAD_LETTERS, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setOutputPrefix(String prefix);

    abstract Builder setSourceRecords(PCollection<Row> records);

    abstract Builder setFlags(boolean flags);

    abstract Builder setServer(FhirServer server);

    abstract Builder setBatchSize(int resources);

    abstract WriteRiskAssessments build();
  }
}
