package io.vigil.fhir;

import ca.uhn.fhir.rest.gclient.IQuery;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.google.auto.value.AutoValue;
import io.vigil.transforms.records.DeadLetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Encounters from a FHIR R4 server's REST API and maps each to a record.
 *
 * <ol>
 *   <li>One search {@code Encounter?_lastUpdated=ge<since>&_count=<page>&_elements=subject} (all encounters without
 *       {@link #withUpdatedSince}), following the {@code next} links, finds the encounters to map and their patients.
 *   <li>Patients are batched ({@link #withPatientBatchSize}); per batch, one paged search per type fetches the
 *       patients' whole records: {@code Patient?_id=a,b,...} and {@code <Type>?subject=Patient/a,Patient/b,...} for
 *       Encounter, Condition, Observation, Procedure and MedicationRequest. The whole record is needed because
 *       history columns (prior visits, dose changes, readmission) look beyond the changed encounter.
 *   <li>Only the encounters found in step 1 become records.
 * </ol>
 *
 * <p>Every request is retried on 429 and 5xx with exponential back-off ({@link FhirServer}). A search that fails for
 * good becomes a dead letter (the encounter search: one for the page it stopped at; a patient batch: one per patient)
 * and the pipeline goes on. Logs carry counts and request kinds only, never ids, URLs with queries or contents.
 */
@AutoValue
public abstract class ReadFhirServer extends PTransform<PBegin, FhirRecords> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReadFhirServer.class);

  /** Patient batches are spread over this many keys, which bounds the parallelism of the fetch step. */
  private static final int BATCH_KEYS = 16;

  /** The types fetched by {@code subject}, after the Patients themselves. */
  private static final List<String> SUBJECT_TYPES =
      List.of("Encounter", "Condition", "Observation", "Procedure", "MedicationRequest");

  abstract FhirServer server();

  abstract @Nullable Instant updatedSince();

  abstract int pageSize();

  abstract int patientBatchSize();

  abstract Builder toBuilder();

  /** Reads all encounters of the server; 100 resources per page, 20 patients per batch. */
  public static ReadFhirServer from(FhirServer server) {
    if (server == null) {
      throw new IllegalArgumentException("the FHIR server must be given");
    }
    return new AutoValue_ReadFhirServer.Builder().setServer(server).setPageSize(100).setPatientBatchSize(20).build();
  }

  /** Incremental read: only encounters whose {@code meta.lastUpdated} is at or after the instant. */
  public ReadFhirServer withUpdatedSince(Instant since) {
    if (since == null) {
      throw new IllegalArgumentException("the instant to read changes since must not be null");
    }
    return toBuilder().setUpdatedSince(since).build();
  }

  /** The {@code _count} asked of every search; the server may page smaller. */
  public ReadFhirServer withPageSize(int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1, got " + pageSize);
    }
    return toBuilder().setPageSize(pageSize).build();
  }

  /** How many patients one set of searches fetches; larger batches mean fewer requests and longer URLs. */
  public ReadFhirServer withPatientBatchSize(int patients) {
    if (patients < 1) {
      throw new IllegalArgumentException("patient batch size must be at least 1, got " + patients);
    }
    return toBuilder().setPatientBatchSize(patients).build();
  }

  @Override
  public FhirRecords expand(PBegin input) {
    PCollectionTuple found = input
        .apply("Start", Impulse.create())
        .apply("SearchEncounters", ParDo.of(new SearchEncountersFn(server(), updatedSince(), pageSize()))
            .withOutputTags(SearchEncountersFn.FOUND, TupleTagList.of(FhirRecords.DEAD_LETTERS)));
    PCollection<KV<Integer, Iterable<KV<String, Iterable<String>>>>> batches = found.get(SearchEncountersFn.FOUND)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("GroupByPatient", GroupByKey.create())
        .apply("SpreadPatients", WithKeys.of((KV<String, Iterable<String>> patient)
            -> Math.floorMod(patient.getKey().hashCode(), BATCH_KEYS)).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(),
            KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(StringUtf8Coder.of()))))
        .apply("BatchPatients", GroupIntoBatches.ofSize(patientBatchSize()));
    PCollectionTuple mapped = batches.apply("FetchAndMap", ParDo.of(new FetchAndMapFn(server(), pageSize()))
        .withOutputTags(FhirRecords.RECORDS, TupleTagList.of(FhirRecords.DEAD_LETTERS)));
    PCollection<DeadLetter> deadLetters = FhirRecords.flattenDeadLetters("AllDeadLetters",
        List.of(found.get(FhirRecords.DEAD_LETTERS), mapped.get(FhirRecords.DEAD_LETTERS)));
    return FhirRecords.of(PCollectionTuple.of(FhirRecords.RECORDS, mapped.get(FhirRecords.RECORDS))
        .and(FhirRecords.DEAD_LETTERS, deadLetters));
  }

  /** Pages through the Encounter search and emits (patient id, encounter id) for each encounter found. */
  static final class SearchEncountersFn extends DoFn<byte[], KV<String, String>> {
    private static final long serialVersionUID = 1L;
    static final TupleTag<KV<String, String>> FOUND = new TupleTag<KV<String, String>>() {};

    private final FhirServer server;
    private final @Nullable Instant updatedSince;
    private final int pageSize;
    private transient IGenericClient client;

    SearchEncountersFn(FhirServer server, @Nullable Instant updatedSince, int pageSize) {
      this.server = server;
      this.updatedSince = updatedSince;
      this.pageSize = pageSize;
    }

    @Setup
    public void setup() {
      client = server.newClient();
    }

    private IQuery<Bundle> encounterSearch() {
      IQuery<Bundle> search = client.search().forResource(Encounter.class)
          .elementsSubset("subject")
          .count(pageSize)
          .returnBundle(Bundle.class);
      return updatedSince == null ? search : search.lastUpdated(new DateRangeParam(Date.from(updatedSince), null));
    }

    @ProcessElement
    public void process(MultiOutputReceiver out) {
      RetryingCalls calls = server.retrying();
      int pageNumber = 1;
      int encounters = 0;
      try {
        // built anew for every attempt: HAPI's query builder is not meant to be executed twice
        Bundle page = calls.call("Encounter search page 1", () -> encounterSearch().execute());
        while (true) {
          for (Bundle.BundleEntryComponent entry : page.getEntry()) {
            if (!(entry.getResource() instanceof Encounter)) {
              continue;
            }
            Encounter encounter = (Encounter) entry.getResource();
            String id = PatientResources.idOf(encounter);
            String patient = ResourceReferences.logicalId(encounter.getSubject());
            if (id == null || patient == null) {
              out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(server.baseUrl(),
                  "Encounter search page " + pageNumber, id == null ? "Encounter without a logical id"
                      : "Encounter/" + id + " has no subject reference, so it has no patient record", null));
              continue;
            }
            encounters++;
            out.get(FOUND).output(KV.of(patient, id));
          }
          if (page.getLink(Bundle.LINK_NEXT) == null) {
            break;
          }
          pageNumber++;
          Bundle current = page;
          page = calls.call("Encounter search page " + pageNumber, () -> client.loadPage().next(current).execute());
        }
      } catch (RetryingCalls.FhirRequestException e) {
        out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(server.baseUrl(), "Encounter search page " + pageNumber,
            e.getMessage() + "; the encounters of this and later pages were not read", null));
      }
      LOG.info("Encounter search: {} encounters on {} page(s)", encounters, pageNumber);
    }
  }

  /** Fetches one batch of patients' records with one paged search per type and maps the wanted encounters. */
  static final class FetchAndMapFn extends DoFn<KV<Integer, Iterable<KV<String, Iterable<String>>>>, Row> {
    private static final long serialVersionUID = 1L;

    private final FhirServer server;
    private final int pageSize;
    private transient IGenericClient client;

    FetchAndMapFn(FhirServer server, int pageSize) {
      this.server = server;
      this.pageSize = pageSize;
    }

    @Setup
    public void setup() {
      client = server.newClient();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, Iterable<String>>>> batch, MultiOutputReceiver out) {
      Map<String, Set<String>> wanted = new HashMap<>();
      for (KV<String, Iterable<String>> patient : batch.getValue()) {
        Set<String> encounters = wanted.computeIfAbsent(patient.getKey(), p -> new HashSet<>());
        patient.getValue().forEach(encounters::add);
      }
      List<String> patientIds = new ArrayList<>(wanted.keySet());
      Map<String, PatientResources.Builder> records = new HashMap<>();
      for (String patient : patientIds) {
        records.put(patient, PatientResources.builder());
      }
      try {
        fetch("Patient", () -> client.search().forResource("Patient")
            .where(new TokenClientParam("_id").exactly().codes(patientIds)), records);
        List<String> references = new ArrayList<>();
        for (String patient : patientIds) {
          references.add("Patient/" + patient);
        }
        for (String type : SUBJECT_TYPES) {
          fetch(type, () -> client.search().forResource(type)
              .where(new ReferenceClientParam("subject").hasAnyOfIds(references)), records);
        }
      } catch (RetryingCalls.FhirRequestException e) {
        for (String patient : patientIds) {
          out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(server.baseUrl(), "Patient/" + patient,
              e.getMessage() + "; this patient's encounters were not mapped", null));
        }
        return;
      }
      for (Map.Entry<String, PatientResources.Builder> patient : records.entrySet()) {
        PatientResources resources = patient.getValue().build();
        Set<String> encounters = wanted.get(patient.getKey());
        FhirRecords.emitRecords(resources, encounters, server.baseUrl(), out);
        Set<String> vanished = new HashSet<>(encounters);
        resources.encounters().forEach(e -> vanished.remove(PatientResources.idOf(e)));
        for (String encounter : vanished) {
          out.get(FhirRecords.DEAD_LETTERS).output(DeadLetter.of(server.baseUrl(), "Encounter/" + encounter,
              "found by the Encounter search but not among its patient's encounters when fetched"
                  + " (deleted or re-assigned in between)", null));
        }
      }
    }

    /**
     * Pages through one search, adding each resource to its patient's record. The query is built anew for every
     * attempt: HAPI's query builder is not meant to be executed twice.
     */
    private void fetch(String type, Supplier<IQuery<?>> query, Map<String, PatientResources.Builder> records) {
      RetryingCalls calls = server.retrying();
      int pageNumber = 1;
      Bundle page = calls.call(type + " fetch page 1",
          () -> query.get().count(pageSize).returnBundle(Bundle.class).execute());
      while (true) {
        for (Bundle.BundleEntryComponent entry : page.getEntry()) {
          Resource resource = entry.getResource();
          if (resource == null || !type.equals(resource.fhirType())) {
            continue;
          }
          String patient = PatientResources.patientIdOf(resource);
          PatientResources.Builder record = patient == null ? null : records.get(patient);
          if (record != null) {
            record.add(resource);
          }
        }
        if (page.getLink(Bundle.LINK_NEXT) == null) {
          return;
        }
        pageNumber++;
        Bundle current = page;
        page = calls.call(type + " fetch page " + pageNumber, () -> client.loadPage().next(current).execute());
      }
    }
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setServer(FhirServer server);

    abstract Builder setUpdatedSince(Instant since);

    abstract Builder setPageSize(int pageSize);

    abstract Builder setPatientBatchSize(int patients);

    abstract ReadFhirServer build();
  }
}
