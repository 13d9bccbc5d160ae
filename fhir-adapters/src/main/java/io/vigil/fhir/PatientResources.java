package io.vigil.fhir;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;

/**
 * Everything Vigil reads about one patient, indexed for the mapping: the Patient, their Encounters in time order, and
 * the Conditions, Observations, Procedures and MedicationRequests by the encounter they reference. Beam-free; the
 * sources build one per patient and hand it to {@link EncounterRecordMapper}.
 *
 * <p>Resources are matched by logical id (see {@link ResourceReferences}); resources of other types are not kept.
 */
public final class PatientResources {
  /** The resource types the mapping reads; everything else in a bundle or export is skipped. */
  public static final Set<String> MAPPED_TYPES =
      Set.of("Patient", "Encounter", "Condition", "Observation", "Procedure", "MedicationRequest");

  private static final Comparator<Encounter> BY_START =
      Comparator.comparing(PatientResources::startMillis, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(PatientResources::idOf, Comparator.nullsLast(Comparator.naturalOrder()));

  private static final Comparator<IBaseResource> BY_ID =
      Comparator.comparing(PatientResources::idOf, Comparator.nullsLast(Comparator.naturalOrder()));

  private final @Nullable Patient patient;
  private final List<Encounter> encounters;
  private final Map<String, Condition> conditionsById;
  private final Map<String, List<Condition>> conditionsByEncounter;
  private final Map<String, List<Observation>> observationsByEncounter;
  private final Map<String, List<Procedure>> proceduresByEncounter;
  private final Map<String, List<MedicationRequest>> medicationRequestsByEncounter;
  private final List<MedicationRequest> medicationRequests;

  private PatientResources(Builder builder) {
    this.patient = builder.patient;
    List<Encounter> sorted = new ArrayList<>(builder.encounters);
    sorted.sort(BY_START);
    this.encounters = List.copyOf(sorted);
    this.conditionsById = Map.copyOf(builder.conditionsById);
    this.conditionsByEncounter = sortedById(builder.conditionsByEncounter);
    this.observationsByEncounter = sortedById(builder.observationsByEncounter);
    this.proceduresByEncounter = sortedById(builder.proceduresByEncounter);
    this.medicationRequestsByEncounter = sortedById(builder.medicationRequestsByEncounter);
    List<MedicationRequest> requests = new ArrayList<>(builder.medicationRequests);
    requests.sort(BY_ID);
    this.medicationRequests = List.copyOf(requests);
  }

  /**
   * Lists in logical-id order, so that ties in the mapping (two diagnoses recorded at the same instant, two orders
   * authored together) break the same way whatever order a bundle, an export or a server delivered them in.
   */
  private static <T extends IBaseResource> Map<String, List<T>> sortedById(Map<String, List<T>> index) {
    Map<String, List<T>> sorted = new HashMap<>();
    for (Map.Entry<String, List<T>> entry : index.entrySet()) {
      List<T> resources = new ArrayList<>(entry.getValue());
      resources.sort(BY_ID);
      sorted.put(entry.getKey(), List.copyOf(resources));
    }
    return sorted;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** An index of the given resources, which must all belong to one patient (see {@link #patientIdOf}). */
  public static PatientResources of(Collection<? extends IBaseResource> resources) {
    Builder builder = builder();
    for (IBaseResource resource : resources) {
      builder.add(resource);
    }
    return builder.build();
  }

  /**
   * The logical id of the patient a resource belongs to: a Patient's own id, the subject of the mapped clinical types;
   * null for resources outside a patient's record (Organization, Practitioner, ...) or without a subject.
   */
  public static @Nullable String patientIdOf(IBaseResource resource) {
    if (resource instanceof Patient) {
      return idOf(resource);
    }
    Reference subject = subjectOf(resource);
    return subject == null ? null : ResourceReferences.logicalId(subject);
  }

  /** The logical id of a resource, or null if it has none. */
  static @Nullable String idOf(IBaseResource resource) {
    String id = resource.getIdElement().getIdPart();
    return id == null || id.isBlank() ? null : id;
  }

  private static @Nullable Reference subjectOf(IBaseResource resource) {
    if (resource instanceof Encounter) {
      return ((Encounter) resource).getSubject();
    } else if (resource instanceof Condition) {
      return ((Condition) resource).getSubject();
    } else if (resource instanceof Observation) {
      return ((Observation) resource).getSubject();
    } else if (resource instanceof Procedure) {
      return ((Procedure) resource).getSubject();
    } else if (resource instanceof MedicationRequest) {
      return ((MedicationRequest) resource).getSubject();
    }
    return null;
  }

  public @Nullable Patient patient() {
    return patient;
  }

  /** The patient's encounters, earliest start first (encounters without a start last). */
  public List<Encounter> encounters() {
    return encounters;
  }

  public @Nullable Condition condition(String id) {
    return conditionsById.get(id);
  }

  /** Conditions whose {@code encounter} references the encounter, in logical-id order. */
  public List<Condition> conditionsOf(String encounterId) {
    return conditionsByEncounter.getOrDefault(encounterId, List.of());
  }

  public List<Observation> observationsOf(String encounterId) {
    return observationsByEncounter.getOrDefault(encounterId, List.of());
  }

  public List<Procedure> proceduresOf(String encounterId) {
    return proceduresByEncounter.getOrDefault(encounterId, List.of());
  }

  public List<MedicationRequest> medicationRequestsOf(String encounterId) {
    return medicationRequestsByEncounter.getOrDefault(encounterId, List.of());
  }

  /** All the patient's MedicationRequests, whatever encounter they belong to. */
  public List<MedicationRequest> medicationRequests() {
    return medicationRequests;
  }

  static @Nullable Long startMillis(Encounter encounter) {
    return encounter.hasPeriod() && encounter.getPeriod().hasStart() ? encounter.getPeriod().getStart().getTime() : null;
  }

  /** Collects one patient's resources; not thread-safe. */
  public static final class Builder {
    private @Nullable Patient patient;
    private final List<Encounter> encounters = new ArrayList<>();
    private final Map<String, Condition> conditionsById = new HashMap<>();
    private final Map<String, List<Condition>> conditionsByEncounter = new HashMap<>();
    private final Map<String, List<Observation>> observationsByEncounter = new HashMap<>();
    private final Map<String, List<Procedure>> proceduresByEncounter = new HashMap<>();
    private final Map<String, List<MedicationRequest>> medicationRequestsByEncounter = new HashMap<>();
    private final List<MedicationRequest> medicationRequests = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a resource if the mapping reads its type; returns whether it was kept. A second Patient is refused: an
     * index is one patient's record, and mixing two would give wrong history counts.
     */
    public boolean add(IBaseResource resource) {
      if (resource instanceof Patient) {
        if (patient != null && !sameId(patient, resource)) {
          throw new IllegalArgumentException("an index holds one patient's resources, but a second Patient was added");
        }
        patient = (Patient) resource;
      } else if (resource instanceof Encounter) {
        encounters.add((Encounter) resource);
      } else if (resource instanceof Condition) {
        Condition condition = (Condition) resource;
        String id = idOf(condition);
        if (id != null) {
          conditionsById.put(id, condition);
        }
        addTo(conditionsByEncounter, condition.getEncounter(), condition);
      } else if (resource instanceof Observation) {
        addTo(observationsByEncounter, ((Observation) resource).getEncounter(), (Observation) resource);
      } else if (resource instanceof Procedure) {
        addTo(proceduresByEncounter, ((Procedure) resource).getEncounter(), (Procedure) resource);
      } else if (resource instanceof MedicationRequest) {
        MedicationRequest request = (MedicationRequest) resource;
        medicationRequests.add(request);
        addTo(medicationRequestsByEncounter, request.getEncounter(), request);
      } else {
        return false;
      }
      return true;
    }

    public PatientResources build() {
      return new PatientResources(this);
    }

    private static boolean sameId(IBaseResource a, IBaseResource b) {
      String idA = idOf(a);
      return idA != null && idA.equals(idOf(b));
    }

    private static <T> void addTo(Map<String, List<T>> index, Reference encounter, T resource) {
      String encounterId = ResourceReferences.logicalId(encounter);
      if (encounterId != null) {
        index.computeIfAbsent(encounterId, k -> new ArrayList<>()).add(resource);
      }
    }
  }
}
