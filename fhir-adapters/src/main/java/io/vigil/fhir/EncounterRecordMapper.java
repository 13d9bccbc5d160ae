package io.vigil.fhir;

import io.vigil.transforms.records.Diabetes130;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;

/**
 * Maps one Encounter, with its patient's resources, to one record of {@link Diabetes130#SCHEMA}. Whatever the FHIR
 * data does not say becomes null, exactly as {@code ?} in the CSV. The mapping table, column by column, is in the
 * module README; this class is its implementation and stays Beam-free apart from building the {@link Row}.
 *
 * <p>Stateless and thread-safe.
 */
public final class EncounterRecordMapper implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String LOINC = "http://loinc.org";
  static final Set<String> HBA1C_CODES = Set.of("4548-4", "17856-6", "4549-2");
  static final Set<String> SERUM_GLUCOSE_CODES = Set.of("2345-7", "2339-0");
  static final String BODY_WEIGHT_CODE = "29463-7";
  static final String US_CORE_RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
  static final String US_CORE_ETHNICITY = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";
  static final String HISPANIC_OR_LATINO = "2135-2";
  static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
  static final String NUBC_DISCHARGE = "http://www.nubc.org/patient-discharge";
  static final String HL7_DISCHARGE = "http://terminology.hl7.org/CodeSystem/discharge-disposition";
  static final String HL7_ADMIT_SOURCE = "http://terminology.hl7.org/CodeSystem/admit-source";

  /** OMB race categories (CDC race and ethnicity code system) → the diabetes-130 race values. */
  static final Map<String, String> RACES = Map.of(
      "2106-3", "Caucasian",
      "2054-5", "AfricanAmerican",
      "2028-9", "Asian",
      "1002-5", "Other",
      "2076-8", "Other",
      "2131-1", "Other",
      HISPANIC_OR_LATINO, "Hispanic");

  static final Map<String, String> HL7_DISCHARGE_IDS = Map.of(
      "home", "1", "hosp", "2", "snf", "3", "other-hcf", "5", "aadvice", "7", "exp", "11", "rehab", "22",
      "long", "23", "psy", "28", "oth", "30");

  static final Map<String, String> HL7_ADMIT_SOURCE_IDS = Map.of(
      "gp", "1", "mp", "1", "outp", "2", "hosp-trans", "4", "nursing", "5", "rehab", "6", "psych", "6", "emd", "7",
      "born", "23");

  static final Set<String> INPATIENT_CLASSES = Set.of("IMP", "ACUTE", "NONAC");
  static final Set<String> EMERGENCY_CLASSES = Set.of("EMER");
  static final Set<String> OUTPATIENT_CLASSES = Set.of("AMB", "OBSENC", "SS", "HH", "VR", "FLD");

  /** Requests that were never in force: they do not count as prescribed. */
  static final Set<MedicationRequest.MedicationRequestStatus> NOT_IN_FORCE = Set.of(
      MedicationRequest.MedicationRequestStatus.CANCELLED, MedicationRequest.MedicationRequestStatus.ENTEREDINERROR,
      MedicationRequest.MedicationRequestStatus.DRAFT);

  private static final long DAY_MILLIS = 86_400_000L;
  private static final Schema SCHEMA = Diabetes130.SCHEMA;

  /**
   * The record of one encounter.
   *
   * @throws UnmappableEncounterException if the encounter has no logical id (a record must be identifiable)
   */
  public Row map(Encounter encounter, PatientResources resources) {
    String encounterId = PatientResources.idOf(encounter);
    if (encounterId == null) {
      throw new UnmappableEncounterException("Encounter has no logical id, so its record could not be identified");
    }
    Map<String, Object> values = new HashMap<>();
    values.put("encounter_id", encounterId);
    Patient patient = resources.patient();
    values.put("patient_nbr", patient != null && PatientResources.idOf(patient) != null
        ? PatientResources.idOf(patient) : ResourceReferences.logicalId(encounter.getSubject()));
    LocalDate startDate = localDate(encounter.getPeriod().getStartElement());
    if (patient != null) {
      values.put("race", race(patient));
      values.put("gender", gender(patient));
      values.put("age", age(patient, startDate));
    }
    List<Observation> observations = resources.observationsOf(encounterId);
    values.put("weight", weight(observations));
    values.put("admission_type_id", admissionType(encounter));
    values.put("discharge_disposition_id", dischargeDisposition(encounter));
    values.put("admission_source_id", admissionSource(encounter));
    values.put("time_in_hospital", timeInHospital(encounter));
    values.put("medical_specialty", medicalSpecialty(encounter));
    values.put("num_lab_procedures", (double) observations.stream().filter(EncounterRecordMapper::isLaboratory).count());
    values.put("num_procedures", (double) resources.proceduresOf(encounterId).size());
    putPriorEncounters(values, encounter, resources);
    List<String> diagnoses = diagnoses(encounter, encounterId, resources);
    for (int i = 0; i < 3; i++) {
      values.put("diag_" + (i + 1), i < diagnoses.size() ? diagnoses.get(i) : null);
    }
    values.put("number_diagnoses", (double) diagnoses.size());
    values.put("max_glu_serum", glucoseResult(observations));
    values.put("A1Cresult", hba1cResult(observations));
    putMedications(values, encounter, encounterId, resources);
    values.put("readmitted", readmitted(encounter, resources));
    return toRow(values);
  }

  /** A coding's code, "" when absent: the lookup tables are immutable collections, which refuse null. */
  private static String codeOf(Coding coding) {
    return coding.hasCode() ? coding.getCode() : "";
  }

  private static String classOf(Encounter encounter) {
    return codeOf(encounter.getClass_());
  }

  private static boolean isNotInForce(MedicationRequest request) {
    return request.getStatus() != null && NOT_IN_FORCE.contains(request.getStatus());
  }

  private static Row toRow(Map<String, Object> values) {
    List<Object> ordered = new ArrayList<>(SCHEMA.getFieldCount());
    for (Schema.Field field : SCHEMA.getFields()) {
      ordered.add(values.get(field.getName()));
    }
    return Row.withSchema(SCHEMA).addValues(ordered).build();
  }

  // ---- Patient

  static @Nullable String gender(Patient patient) {
    if (!patient.hasGender()) {
      return null;
    }
    switch (patient.getGender()) {
      case MALE:
        return "Male";
      case FEMALE:
        return "Female";
      case OTHER:
      case UNKNOWN:
        return "Unknown/Invalid";
      default:
        return null;
    }
  }

  /** Hispanic or Latino ethnicity wins, as diabetes-130 lists Hispanic among the races; then the OMB race category. */
  static @Nullable String race(Patient patient) {
    String ethnicity = ombCategory(patient.getExtensionByUrl(US_CORE_ETHNICITY));
    if (HISPANIC_OR_LATINO.equals(ethnicity)) {
      return "Hispanic";
    }
    String race = ombCategory(patient.getExtensionByUrl(US_CORE_RACE));
    if (race == null) {
      return null;
    }
    return RACES.getOrDefault(race, "Other");
  }

  private static @Nullable String ombCategory(@Nullable Extension extension) {
    if (extension == null) {
      return null;
    }
    for (Extension part : extension.getExtensionsByUrl("ombCategory")) {
      if (part.getValue() instanceof Coding && ((Coding) part.getValue()).hasCode()) {
        String code = ((Coding) part.getValue()).getCode();
        // UNK and ASKU (unknown, asked but declined) say nothing about the race: missing, like '?'.
        return "UNK".equals(code) || "ASKU".equals(code) ? null : code;
      }
    }
    return null;
  }

  /** The decade of life at the encounter's start, {@code [70-80)}. */
  static @Nullable String age(Patient patient, @Nullable LocalDate encounterDate) {
    LocalDate birth = localDate(patient.getBirthDateElement());
    if (birth == null || encounterDate == null || encounterDate.isBefore(birth)) {
      return null;
    }
    int decade = Period.between(birth, encounterDate).getYears() / 10 * 10;
    return "[" + decade + "-" + (decade + 10) + ")";
  }

  /** The calendar date as written in the resource (its own offset), day or month precision filled with the 1st. */
  static @Nullable LocalDate localDate(@Nullable BaseDateTimeType value) {
    if (value == null || !value.hasValue() || value.getYear() == null) {
      return null;
    }
    int month = value.getMonth() == null ? 1 : value.getMonth() + 1;
    int day = value.getDay() == null ? 1 : value.getDay();
    return LocalDate.of(value.getYear(), month, day);
  }

  // ---- Encounter

  static @Nullable String admissionType(Encounter encounter) {
    for (Coding priority : encounter.getPriority().getCoding()) {
      switch (String.valueOf(priority.getCode())) {
        case "EM":
          return "1";
        case "UR":
          return "2";
        case "EL":
          return "3";
        default:
          break;
      }
    }
    return EMERGENCY_CLASSES.contains(classOf(encounter)) ? "1" : null;
  }

  static @Nullable String dischargeDisposition(Encounter encounter) {
    if (!encounter.hasHospitalization() || !encounter.getHospitalization().hasDischargeDisposition()) {
      return null;
    }
    for (Coding coding : encounter.getHospitalization().getDischargeDisposition().getCoding()) {
      if (NUBC_DISCHARGE.equals(coding.getSystem()) && coding.hasCode() && coding.getCode().matches("\\d+")) {
        return String.valueOf(Integer.parseInt(coding.getCode()));
      }
      if (HL7_DISCHARGE.equals(coding.getSystem()) && HL7_DISCHARGE_IDS.containsKey(codeOf(coding))) {
        return HL7_DISCHARGE_IDS.get(coding.getCode());
      }
    }
    return systemAwareCode(encounter.getHospitalization().getDischargeDisposition());
  }

  static @Nullable String admissionSource(Encounter encounter) {
    if (!encounter.hasHospitalization() || !encounter.getHospitalization().hasAdmitSource()) {
      return null;
    }
    for (Coding coding : encounter.getHospitalization().getAdmitSource().getCoding()) {
      if (HL7_ADMIT_SOURCE.equals(coding.getSystem()) && HL7_ADMIT_SOURCE_IDS.containsKey(codeOf(coding))) {
        return HL7_ADMIT_SOURCE_IDS.get(coding.getCode());
      }
    }
    return systemAwareCode(encounter.getHospitalization().getAdmitSource());
  }

  private static @Nullable String systemAwareCode(CodeableConcept concept) {
    for (Coding coding : concept.getCoding()) {
      if (coding.hasCode()) {
        return (coding.hasSystem() ? coding.getSystem() : "unknown-system") + "|" + coding.getCode();
      }
    }
    return null;
  }

  /** Calendar days from admission to discharge, a same-day stay counting as 1 (the CSV's minimum); null if open. */
  static @Nullable Double timeInHospital(Encounter encounter) {
    LocalDate start = localDate(encounter.getPeriod().getStartElement());
    LocalDate end = localDate(encounter.getPeriod().getEndElement());
    if (start == null || end == null || end.isBefore(start)) {
      return null;
    }
    return (double) Math.max(1, end.toEpochDay() - start.toEpochDay());
  }

  static @Nullable String medicalSpecialty(Encounter encounter) {
    if (!encounter.hasServiceType()) {
      return null;
    }
    CodeableConcept serviceType = encounter.getServiceType();
    for (Coding coding : serviceType.getCoding()) {
      if (coding.hasDisplay()) {
        return coding.getDisplay();
      }
    }
    return serviceType.hasText() ? serviceType.getText() : systemAwareCode(serviceType);
  }

  private static void putPriorEncounters(Map<String, Object> values, Encounter encounter, PatientResources resources) {
    Long start = PatientResources.startMillis(encounter);
    if (start == null) {
      return;
    }
    long yearBefore = start - 365 * DAY_MILLIS;
    int outpatient = 0;
    int emergency = 0;
    int inpatient = 0;
    for (Encounter other : resources.encounters()) {
      Long otherStart = PatientResources.startMillis(other);
      if (other == encounter || otherStart == null || otherStart < yearBefore || otherStart >= start) {
        continue;
      }
      String encounterClass = classOf(other);
      if (OUTPATIENT_CLASSES.contains(encounterClass)) {
        outpatient++;
      } else if (EMERGENCY_CLASSES.contains(encounterClass)) {
        emergency++;
      } else if (INPATIENT_CLASSES.contains(encounterClass)) {
        inpatient++;
      }
    }
    values.put("number_outpatient", (double) outpatient);
    values.put("number_emergency", (double) emergency);
    values.put("number_inpatient", (double) inpatient);
  }

  /**
   * Days from this encounter's end to the patient's next inpatient admission: {@code <30}, {@code >30}, or
   * {@code NO} when the data holds none.
   */
  static @Nullable String readmitted(Encounter encounter, PatientResources resources) {
    Long start = PatientResources.startMillis(encounter);
    if (start == null) {
      return null;
    }
    long end = encounter.getPeriod().hasEnd() ? encounter.getPeriod().getEnd().getTime() : start;
    Long next = null;
    for (Encounter other : resources.encounters()) {
      Long otherStart = PatientResources.startMillis(other);
      if (other != encounter && otherStart != null && otherStart >= end
          && INPATIENT_CLASSES.contains(classOf(other)) && (next == null || otherStart < next)) {
        next = otherStart;
      }
    }
    if (next == null) {
      return "NO";
    }
    return next - end <= 30 * DAY_MILLIS ? "<30" : ">30";
  }

  // ---- Diagnoses

  /**
   * Distinct diagnosis categories in rank order: Encounter.diagnosis by rank, then Conditions recorded in the
   * encounter (by recorded date), then the encounter's reasons (referenced Conditions, then codes).
   */
  static List<String> diagnoses(Encounter encounter, String encounterId, PatientResources resources) {
    Set<String> categories = new LinkedHashSet<>();
    List<Encounter.DiagnosisComponent> ranked = new ArrayList<>(encounter.getDiagnosis());
    ranked.sort(Comparator.comparing(d -> d.hasRank() ? d.getRank() : Integer.MAX_VALUE));
    for (Encounter.DiagnosisComponent diagnosis : ranked) {
      addCondition(categories, diagnosis.getCondition(), resources);
    }
    List<Condition> recorded = new ArrayList<>(resources.conditionsOf(encounterId));
    recorded.sort(Comparator.comparing(EncounterRecordMapper::recordedMillis));
    for (Condition condition : recorded) {
      addCategory(categories, condition);
    }
    for (Reference reason : encounter.getReasonReference()) {
      addCondition(categories, reason, resources);
    }
    for (CodeableConcept reason : encounter.getReasonCode()) {
      String category = DiagnosisCategories.categoryOf(reason);
      if (category != null) {
        categories.add(category);
      }
    }
    return List.copyOf(categories);
  }

  private static long recordedMillis(Condition condition) {
    if (condition.hasRecordedDate()) {
      return condition.getRecordedDate().getTime();
    }
    return condition.hasOnsetDateTimeType() ? condition.getOnsetDateTimeType().getValue().getTime() : Long.MAX_VALUE;
  }

  private static void addCondition(Set<String> categories, Reference reference, PatientResources resources) {
    String id = ResourceReferences.logicalId(reference);
    Condition condition = id == null ? null : resources.condition(id);
    if (condition != null) {
      addCategory(categories, condition);
    }
  }

  private static void addCategory(Set<String> categories, Condition condition) {
    if (isRuledOut(condition)) {
      return;
    }
    String category = DiagnosisCategories.categoryOf(condition.getCode());
    if (category != null) {
      categories.add(category);
    }
  }

  private static boolean isRuledOut(Condition condition) {
    for (Coding status : condition.getVerificationStatus().getCoding()) {
      if ("refuted".equals(status.getCode()) || "entered-in-error".equals(status.getCode())) {
        return true;
      }
    }
    return false;
  }

  // ---- Observations

  static boolean isLaboratory(Observation observation) {
    for (CodeableConcept category : observation.getCategory()) {
      for (Coding coding : category.getCoding()) {
        if ("laboratory".equals(coding.getCode())
            && (!coding.hasSystem() || OBSERVATION_CATEGORY.equals(coding.getSystem()))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasLoinc(Observation observation, Set<String> codes) {
    for (Coding coding : observation.getCode().getCoding()) {
      if (LOINC.equals(coding.getSystem()) && codes.contains(codeOf(coding))) {
        return true;
      }
    }
    return false;
  }

  private static boolean counts(Observation observation) {
    Observation.ObservationStatus status = observation.getStatus();
    return status != Observation.ObservationStatus.ENTEREDINERROR && status != Observation.ObservationStatus.CANCELLED;
  }

  /** {@code >8}, {@code >7} or {@code Norm} from the highest HbA1c of the encounter (in %); {@code None} if none. */
  static String hba1cResult(List<Observation> observations) {
    Double highest = highest(observations, HBA1C_CODES, EncounterRecordMapper::hba1cPercent);
    if (highest == null) {
      return "None";
    }
    return highest > 8 ? ">8" : highest > 7 ? ">7" : "Norm";
  }

  /** {@code >300}, {@code >200} or {@code Norm} from the highest glucose of the encounter (mg/dL); {@code None}. */
  static String glucoseResult(List<Observation> observations) {
    Double highest = highest(observations, SERUM_GLUCOSE_CODES, EncounterRecordMapper::glucoseMgPerDl);
    if (highest == null) {
      return "None";
    }
    return highest > 300 ? ">300" : highest > 200 ? ">200" : "Norm";
  }

  /** The body weight of the encounter's latest measurement as the CSV's pound bands, {@code [75-100)}, {@code >200}. */
  static @Nullable String weight(List<Observation> observations) {
    Observation latest = null;
    Double pounds = null;
    for (Observation observation : observations) {
      if (!counts(observation) || !hasLoinc(observation, Set.of(BODY_WEIGHT_CODE))) {
        continue;
      }
      Double value = poundsOf(observation);
      if (value != null && (latest == null || effectiveMillis(observation) >= effectiveMillis(latest))) {
        latest = observation;
        pounds = value;
      }
    }
    if (pounds == null) {
      return null;
    }
    if (pounds >= 200) {
      return ">200";
    }
    int band = (int) (pounds / 25) * 25;
    return "[" + band + "-" + (band + 25) + ")";
  }

  private static long effectiveMillis(Observation observation) {
    return observation.hasEffectiveDateTimeType() && observation.getEffectiveDateTimeType().hasValue()
        ? observation.getEffectiveDateTimeType().getValue().getTime() : Long.MIN_VALUE;
  }

  private interface UnitConversion {
    @Nullable Double convert(double value, String unit);
  }

  private static @Nullable Double highest(List<Observation> observations, Set<String> codes, UnitConversion conversion) {
    Double highest = null;
    for (Observation observation : observations) {
      if (!counts(observation) || !hasLoinc(observation, codes) || !observation.hasValueQuantity()) {
        continue;
      }
      Quantity quantity = observation.getValueQuantity();
      if (!quantity.hasValue()) {
        continue;
      }
      Double value = conversion.convert(quantity.getValue().doubleValue(), unitOf(quantity));
      if (value != null && (highest == null || value > highest)) {
        highest = value;
      }
    }
    return highest;
  }

  private static String unitOf(Quantity quantity) {
    String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
    return unit == null ? "" : unit.trim();
  }

  /** HbA1c in %: NGSP % as is, IFCC mmol/mol by the master equation; other units are not comparable (null). */
  static @Nullable Double hba1cPercent(double value, String unit) {
    switch (unit) {
      case "":
      case "%":
        return value;
      case "mmol/mol":
        return value / 10.929 + 2.15;
      default:
        return null;
    }
  }

  static @Nullable Double glucoseMgPerDl(double value, String unit) {
    switch (unit) {
      case "":
      case "mg/dL":
        return value;
      case "mmol/L":
        return value * 18.016;
      default:
        return null;
    }
  }

  private static @Nullable Double poundsOf(Observation observation) {
    Quantity quantity = observation.hasValueQuantity() ? observation.getValueQuantity() : null;
    if (quantity == null || !quantity.hasValue()) {
      return null;
    }
    double value = quantity.getValue().doubleValue();
    switch (unitOf(quantity)) {
      case "kg":
        return value * 2.2046226218;
      case "g":
        return value / 1000 * 2.2046226218;
      case "[lb_av]":
      case "lb":
      case "lbs":
        return value;
      default:
        return null;
    }
  }

  // ---- Medications

  /**
   * The 23 drug columns, {@code change}, {@code diabetesMed} and {@code num_medications}. For each drug: a request in
   * this encounter compared with the patient's latest earlier request of the drug gives {@code Up}/{@code Down} (daily
   * dose rose/fell) or {@code Steady} (same, not comparable, or first prescription); no request here but an earlier
   * one still active gives {@code Steady}; otherwise {@code No}. {@code change} is {@code Ch} when a dose moved or a
   * drug was started here.
   */
  private static void putMedications(
      Map<String, Object> values, Encounter encounter, String encounterId, PatientResources resources) {
    Long start = PatientResources.startMillis(encounter);
    List<MedicationRequest> here = new ArrayList<>();
    for (MedicationRequest request : resources.medicationRequestsOf(encounterId)) {
      if (!isNotInForce(request)) {
        here.add(request);
      }
    }
    values.put("num_medications", (double) distinctMedications(here));
    boolean changed = false;
    boolean anyDiabetesMed = false;
    for (String column : Diabetes130.MEDICATION_COLUMNS) {
      MedicationRequest current = latest(here, column, null, null);
      MedicationRequest earlier = start == null ? null : latest(resources.medicationRequests(), column, start, encounterId);
      String value;
      if (current != null) {
        value = earlier == null ? "Steady" : doseTrend(dailyDose(earlier), dailyDose(current));
        changed |= earlier == null || !"Steady".equals(value);
      } else if (earlier != null && earlier.getStatus() == MedicationRequest.MedicationRequestStatus.ACTIVE
          || earlier != null && earlier.getStatus() == MedicationRequest.MedicationRequestStatus.ONHOLD) {
        value = "Steady";
      } else {
        value = "No";
      }
      anyDiabetesMed |= !"No".equals(value);
      values.put(column, value);
    }
    values.put("change", changed ? "Ch" : "No");
    values.put("diabetesMed", anyDiabetesMed ? "Yes" : "No");
  }

  private static int distinctMedications(List<MedicationRequest> requests) {
    Set<String> medications = new HashSet<>();
    for (MedicationRequest request : requests) {
      medications.add(medicationKey(request));
    }
    return medications.size();
  }

  /** What identifies a medication: its first code, its text, its reference, or else the request itself. */
  private static String medicationKey(MedicationRequest request) {
    if (request.hasMedicationCodeableConcept()) {
      CodeableConcept concept = request.getMedicationCodeableConcept();
      for (Coding coding : concept.getCoding()) {
        if (coding.hasCode()) {
          return coding.getSystem() + "|" + coding.getCode();
        }
      }
      if (concept.hasText()) {
        return "text|" + concept.getText();
      }
    }
    if (request.hasMedicationReference() && request.getMedicationReference().hasReference()) {
      return "ref|" + request.getMedicationReference().getReference();
    }
    return "request|" + System.identityHashCode(request);
  }

  private static Set<String> columnsOf(MedicationRequest request) {
    return request.hasMedicationCodeableConcept()
        ? DiabetesMedications.columnsOf(request.getMedicationCodeableConcept()) : Set.of();
  }

  /**
   * The latest request for the drug column, by authoredOn; with {@code before} set, only requests in force authored
   * before that instant and not in the excluded encounter.
   */
  private static @Nullable MedicationRequest latest(
      List<MedicationRequest> requests, String column, @Nullable Long before, @Nullable String excludedEncounter) {
    MedicationRequest latest = null;
    long latestMillis = Long.MIN_VALUE;
    for (MedicationRequest request : requests) {
      if (!columnsOf(request).contains(column) || isNotInForce(request)) {
        continue;
      }
      long authored = request.hasAuthoredOn() ? request.getAuthoredOn().getTime() : Long.MIN_VALUE;
      if (before != null && (!request.hasAuthoredOn() || authored >= before
          || excludedEncounter.equals(ResourceReferences.logicalId(request.getEncounter())))) {
        continue;
      }
      if (latest == null || authored >= latestMillis) {
        latest = request;
        latestMillis = authored;
      }
    }
    return latest;
  }

  private static String doseTrend(@Nullable Double before, @Nullable Double now) {
    if (before == null || now == null || Math.abs(now - before) < 1e-9 * Math.max(1, Math.abs(before))) {
      return "Steady";
    }
    return now > before ? "Up" : "Down";
  }

  /**
   * The daily amount of the first dosage instruction: dose × frequency per day when the timing says how often, the
   * dose alone otherwise; null without a dose quantity. Only compared between requests of the same drug.
   */
  static @Nullable Double dailyDose(MedicationRequest request) {
    if (!request.hasDosageInstruction()) {
      return null;
    }
    Dosage dosage = request.getDosageInstructionFirstRep();
    if (!dosage.hasDoseAndRate() || !dosage.getDoseAndRateFirstRep().hasDoseQuantity()
        || !dosage.getDoseAndRateFirstRep().getDoseQuantity().hasValue()) {
      return null;
    }
    double dose = dosage.getDoseAndRateFirstRep().getDoseQuantity().getValue().doubleValue();
    if (!dosage.hasTiming() || !dosage.getTiming().hasRepeat()) {
      return dose;
    }
    Timing.TimingRepeatComponent repeat = dosage.getTiming().getRepeat();
    Double periodDays = repeat.hasPeriod() && repeat.hasPeriodUnit()
        ? daysOf(repeat.getPeriod().doubleValue(), repeat.getPeriodUnit()) : null;
    if (periodDays == null || periodDays <= 0) {
      return dose;
    }
    int frequency = repeat.hasFrequency() ? repeat.getFrequency() : 1;
    return dose * frequency / periodDays;
  }

  private static @Nullable Double daysOf(double period, Timing.UnitsOfTime unit) {
    switch (unit) {
      case S:
        return period / 86_400;
      case MIN:
        return period / 1_440;
      case H:
        return period / 24;
      case D:
        return period;
      case WK:
        return period * 7;
      case MO:
        return period * 30;
      case A:
        return period * 365;
      default:
        return null;
    }
  }
}
