package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.transforms.records.Diabetes130;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mapping on hand-written resources: every column, and what each becomes when the FHIR data lacks it. */
class EncounterRecordMapperTest {
  private static final String PATIENT = "pat-1";
  private static final String ENCOUNTER = "enc-main";
  private static final String RXNORM = DiabetesMedications.RXNORM_SYSTEM;

  private final EncounterRecordMapper mapper = new EncounterRecordMapper();

  /** A 72-year-old's 3-day inpatient stay with a full record and a year of history around it. */
  private static List<Resource> fullRecord() {
    List<Resource> resources = new ArrayList<>();
    Patient patient = new Patient();
    patient.setId(PATIENT);
    patient.setGender(Enumerations.AdministrativeGender.FEMALE);
    patient.setBirthDateElement(new DateType("1950-06-15"));
    patient.addExtension(omb(EncounterRecordMapper.US_CORE_RACE, "2054-5"));
    patient.addExtension(omb(EncounterRecordMapper.US_CORE_ETHNICITY, "2186-5"));
    resources.add(patient);

    Encounter main = encounter(ENCOUNTER, "IMP", "2022-07-01T22:00:00+00:00", "2022-07-04T10:00:00+00:00");
    main.setPriority(concept("http://terminology.hl7.org/CodeSystem/v3-ActPriority", "UR"));
    main.getHospitalization()
        .setAdmitSource(concept(EncounterRecordMapper.HL7_ADMIT_SOURCE, "emd"))
        .setDischargeDisposition(concept(EncounterRecordMapper.NUBC_DISCHARGE, "03"));
    main.setServiceType(new CodeableConcept(new Coding("http://example.org/specialty", "IM", "InternalMedicine")));
    main.addDiagnosis().setRank(2).setCondition(new Reference("Condition/cond-ranked-2"));
    main.addDiagnosis().setRank(1).setCondition(new Reference("urn:uuid:cond-ranked-1"));
    main.addReasonCode(concept(DiagnosisCategories.ICD10_SYSTEM, "K35.80"));
    resources.add(main);
    resources.add(condition("cond-ranked-1", null, DiagnosisCategories.SNOMED_SYSTEM, "84114007")); // heart failure
    resources.add(condition("cond-ranked-2", null, DiagnosisCategories.ICD9_SYSTEM, "250.80"));
    resources.add(condition("cond-recorded", ENCOUNTER, DiagnosisCategories.ICD9_SYSTEM, "038.9"));
    Condition refuted = condition("cond-refuted", ENCOUNTER, DiagnosisCategories.ICD9_SYSTEM, "486");
    refuted.setVerificationStatus(concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "refuted"));
    resources.add(refuted);

    resources.add(lab("obs-a1c", "4548-4", 8.4, "%"));
    resources.add(lab("obs-a1c-earlier", "4548-4", 6.1, "%"));
    resources.add(lab("obs-glucose", "2339-0", 14.0, "mmol/L")); // 252 mg/dL
    resources.add(lab("obs-creatinine", "38483-4", 1.1, "mg/dL"));
    Observation weight = observation("obs-weight", "29463-7", 80.0, "kg"); // 176 lb
    weight.addCategory(concept(EncounterRecordMapper.OBSERVATION_CATEGORY, "vital-signs"));
    resources.add(weight);
    resources.add(procedure("proc-1"));
    resources.add(procedure("proc-2"));

    // metformin: 500 mg twice a day before, 1000 mg twice a day now -> Up
    resources.add(medication("med-metformin-old", "enc-amb-1", "2022-03-01T09:00:00+00:00", "6809", "metformin", 500, 2));
    resources.add(medication("med-metformin", ENCOUNTER, "2022-07-02T09:00:00+00:00", "6809", "metformin", 1000, 2));
    // glipizide: 10 mg before, 5 mg now -> Down
    resources.add(medication("med-glipizide-old", "enc-amb-1", "2022-03-01T09:00:00+00:00", "4821", "glipizide", 10, 1));
    resources.add(medication("med-glipizide", ENCOUNTER, "2022-07-02T09:00:00+00:00", "4821", "glipizide", 5, 1));
    // insulin started here -> Steady, and a change
    resources.add(medication("med-insulin", ENCOUNTER, "2022-07-02T09:00:00+00:00", "106892", "Humulin 70/30", 10, 2));
    // a combination tablet goes to its combination column only
    resources.add(medication("med-glyb-met", ENCOUNTER, "2022-07-02T09:00:00+00:00", "999001",
        "Glyburide 5 MG / Metformin hydrochloride 500 MG Oral Tablet", 1, 1));
    // pioglitazone prescribed months ago and still active: the patient is on it -> Steady
    resources.add(medication("med-pio-old", "enc-amb-1", "2022-03-01T09:00:00+00:00", "33738", "pioglitazone", 15, 1));
    // rosiglitazone prescribed earlier but stopped -> No
    MedicationRequest stopped =
        medication("med-rosi-old", "enc-amb-1", "2022-03-01T09:00:00+00:00", "84108", "rosiglitazone", 4, 1);
    stopped.setStatus(MedicationRequest.MedicationRequestStatus.STOPPED);
    resources.add(stopped);
    // a non-diabetes drug counts in num_medications only; a cancelled order counts nowhere
    resources.add(medication("med-acetaminophen", ENCOUNTER, "2022-07-02T09:00:00+00:00", "313782",
        "Acetaminophen 325 MG Oral Tablet", 1, 4));
    MedicationRequest cancelled =
        medication("med-acarbose", ENCOUNTER, "2022-07-02T09:00:00+00:00", "16681", "acarbose", 50, 3);
    cancelled.setStatus(MedicationRequest.MedicationRequestStatus.CANCELLED);
    resources.add(cancelled);

    // history: two outpatient visits, one emergency and one inpatient stay within the year; one visit too old
    resources.add(encounter("enc-amb-1", "AMB", "2022-03-01T08:00:00+00:00", "2022-03-01T09:00:00+00:00"));
    resources.add(encounter("enc-amb-2", "AMB", "2021-08-01T08:00:00+00:00", "2021-08-01T09:00:00+00:00"));
    resources.add(encounter("enc-emer", "EMER", "2022-05-05T08:00:00+00:00", "2022-05-05T12:00:00+00:00"));
    resources.add(encounter("enc-imp-before", "IMP", "2022-01-10T08:00:00+00:00", "2022-01-12T09:00:00+00:00"));
    resources.add(encounter("enc-too-old", "AMB", "2021-06-30T08:00:00+00:00", "2021-06-30T09:00:00+00:00"));
    // readmitted 20 days after discharge
    resources.add(encounter("enc-readmission", "IMP", "2022-07-24T08:00:00+00:00", "2022-07-26T09:00:00+00:00"));
    return resources;
  }

  @Test
  void mapsEveryColumnOfAFullRecord() {
    PatientResources index = PatientResources.of(fullRecord());
    Row row = mapper.map(encounterOf(index, ENCOUNTER), index);

    assertThat(row.getSchema()).isEqualTo(Diabetes130.SCHEMA);
    assertThat(row.getString("encounter_id")).isEqualTo(ENCOUNTER);
    assertThat(row.getString("patient_nbr")).isEqualTo(PATIENT);
    assertThat(row.getString("race")).isEqualTo("AfricanAmerican");
    assertThat(row.getString("gender")).isEqualTo("Female");
    assertThat(row.getString("age")).isEqualTo("[70-80)");
    assertThat(row.getString("weight")).isEqualTo("[175-200)");
    assertThat(row.getString("admission_type_id")).isEqualTo("2");
    assertThat(row.getString("discharge_disposition_id")).isEqualTo("3");
    assertThat(row.getString("admission_source_id")).isEqualTo("7");
    assertThat(row.getDouble("time_in_hospital")).isEqualTo(3.0);
    assertThat(row.getString("payer_code")).as("no FHIR source is mapped to payer_code").isNull();
    assertThat(row.getString("medical_specialty")).isEqualTo("InternalMedicine");
    assertThat(row.getDouble("num_lab_procedures")).isEqualTo(4.0);
    assertThat(row.getDouble("num_procedures")).isEqualTo(2.0);
    assertThat(row.getDouble("num_medications")).isEqualTo(5.0);
    assertThat(row.getDouble("number_outpatient")).isEqualTo(2.0);
    assertThat(row.getDouble("number_emergency")).isEqualTo(1.0);
    assertThat(row.getDouble("number_inpatient")).isEqualTo(1.0);
    assertThat(row.getString("diag_1")).isEqualTo("428");
    assertThat(row.getString("diag_2")).isEqualTo("250.8");
    assertThat(row.getString("diag_3")).isEqualTo("38");
    assertThat(row.getDouble("number_diagnoses")).as("3 conditions and the reason code; the refuted one not").isEqualTo(4.0);
    assertThat(row.getString("max_glu_serum")).isEqualTo(">200");
    assertThat(row.getString("A1Cresult")).isEqualTo(">8");
    assertThat(row.getString("metformin")).isEqualTo("Up");
    assertThat(row.getString("glipizide")).isEqualTo("Down");
    assertThat(row.getString("insulin")).isEqualTo("Steady");
    assertThat(row.getString("glyburide-metformin")).isEqualTo("Steady");
    assertThat(row.getString("glyburide")).isEqualTo("No");
    assertThat(row.getString("pioglitazone")).isEqualTo("Steady");
    assertThat(row.getString("rosiglitazone")).isEqualTo("No");
    assertThat(row.getString("acarbose")).isEqualTo("No");
    for (String column : List.of("repaglinide", "nateglinide", "chlorpropamide", "glimepiride", "acetohexamide",
        "tolbutamide", "miglitol", "troglitazone", "tolazamide", "examide", "citoglipton", "glipizide-metformin",
        "glimepiride-pioglitazone", "metformin-rosiglitazone", "metformin-pioglitazone")) {
      assertThat(row.getString(column)).as(column).isEqualTo("No");
    }
    assertThat(row.getString("change")).isEqualTo("Ch");
    assertThat(row.getString("diabetesMed")).isEqualTo("Yes");
    assertThat(row.getString("readmitted")).isEqualTo("<30");
  }

  @Test
  void historyAndReadmissionAreRelativeToEachEncounter() {
    PatientResources index = PatientResources.of(fullRecord());
    Row earlyVisit = mapper.map(encounterOf(index, "enc-amb-1"), index);
    // enc-too-old is more than a year before the main stay but within the year before this visit
    assertThat(earlyVisit.getDouble("number_outpatient")).isEqualTo(2.0);
    assertThat(earlyVisit.getDouble("number_inpatient")).isEqualTo(1.0);
    assertThat(earlyVisit.getDouble("number_emergency")).isEqualTo(0.0);
    assertThat(earlyVisit.getString("readmitted")).as("next inpatient stay is 4 months later").isEqualTo(">30");
    assertThat(earlyVisit.getString("metformin")).as("first prescription").isEqualTo("Steady");
    assertThat(earlyVisit.getString("rosiglitazone")).isEqualTo("Steady");
    assertThat(earlyVisit.getString("change")).isEqualTo("Ch");

    Row last = mapper.map(encounterOf(index, "enc-readmission"), index);
    assertThat(last.getString("readmitted")).isEqualTo("NO");
    assertThat(last.getString("metformin")).as("the active request of the main stay").isEqualTo("Steady");
    assertThat(last.getString("change")).isEqualTo("No");
    assertThat(last.getString("A1Cresult")).isEqualTo("None");
  }

  @Test
  void aBareEncounterMapsToMissingValuesAndZeroCounts() {
    Encounter bare = new Encounter();
    bare.setId("enc-bare");
    PatientResources index = PatientResources.of(List.of(bare));
    Row row = mapper.map(bare, index);

    assertThat(row.getString("encounter_id")).isEqualTo("enc-bare");
    for (String missing : List.of("patient_nbr", "race", "gender", "age", "weight", "admission_type_id",
        "discharge_disposition_id", "admission_source_id", "payer_code", "medical_specialty", "diag_1", "diag_2",
        "diag_3", "readmitted")) {
      assertThat((Object) row.getValue(missing)).as(missing).isNull();
    }
    for (String missing : List.of("time_in_hospital", "number_outpatient", "number_emergency", "number_inpatient")) {
      assertThat((Object) row.getValue(missing)).as(missing + " needs the encounter period").isNull();
    }
    for (String zero : List.of("num_lab_procedures", "num_procedures", "num_medications", "number_diagnoses")) {
      assertThat(row.getDouble(zero)).as(zero).isEqualTo(0.0);
    }
    assertThat(row.getString("max_glu_serum")).as("not measured is a category, not missing").isEqualTo("None");
    assertThat(row.getString("A1Cresult")).isEqualTo("None");
    for (String medication : Diabetes130.MEDICATION_COLUMNS) {
      assertThat(row.getString(medication)).as(medication).isEqualTo("No");
    }
    assertThat(row.getString("change")).isEqualTo("No");
    assertThat(row.getString("diabetesMed")).isEqualTo("No");
  }

  @Test
  void patientWithoutDemographicsGivesMissingRaceGenderAndAge() {
    Patient patient = new Patient();
    patient.setId(PATIENT);
    Encounter encounter = encounter(ENCOUNTER, "AMB", "2020-01-01T10:00:00Z", null);
    PatientResources index = PatientResources.of(List.of(patient, encounter));
    Row row = mapper.map(encounter, index);
    assertThat(row.getString("patient_nbr")).isEqualTo(PATIENT);
    assertThat(row.getString("race")).isNull();
    assertThat(row.getString("gender")).isNull();
    assertThat(row.getString("age")).isNull();
    assertThat((Object) row.getValue("time_in_hospital")).as("an open encounter has no length of stay").isNull();
    assertThat(row.getDouble("number_outpatient")).as("known start, no other encounters").isEqualTo(0.0);
  }

  @Test
  void encounterWithoutIdCannotBeMapped() {
    Encounter anonymous = new Encounter();
    PatientResources index = PatientResources.of(List.of(anonymous));
    assertThatThrownBy(() -> mapper.map(anonymous, index))
        .isInstanceOf(UnmappableEncounterException.class)
        .hasMessageContaining("no logical id");
  }

  @Test
  void indexRefusesASecondPatient() {
    Patient other = new Patient();
    other.setId("pat-2");
    List<Resource> resources = new ArrayList<>(fullRecord());
    resources.add(other);
    assertThatThrownBy(() -> PatientResources.of(resources)).hasMessageContaining("second Patient");
  }

  @ParameterizedTest(name = "race {0}, ethnicity {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "2106-3, 2186-5, Caucasian",
      "2028-9, null, Asian",
      "2106-3, 2135-2, Hispanic",
      "2076-8, 2186-5, Other",
      "9999-9, null, Other",
      "UNK, 2186-5, null",
      "null, 2186-5, null",
      "null, null, null"})
  void raceFromUsCoreExtensions(String race, String ethnicity, String expected) {
    Patient patient = new Patient();
    if (race != null) {
      patient.addExtension(omb(EncounterRecordMapper.US_CORE_RACE, race));
    }
    if (ethnicity != null) {
      patient.addExtension(omb(EncounterRecordMapper.US_CORE_ETHNICITY, ethnicity));
    }
    assertThat(EncounterRecordMapper.race(patient)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", value = {"MALE, Male", "FEMALE, Female", "OTHER, Unknown/Invalid",
      "UNKNOWN, Unknown/Invalid", "null, null"})
  void genderValues(Enumerations.AdministrativeGender gender, String expected) {
    Patient patient = new Patient();
    patient.setGender(gender);
    assertThat(EncounterRecordMapper.gender(patient)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "born {0}, seen {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "1950-06-15, 2020-06-14, [60-70)",
      "1950-06-15, 2020-06-15, [70-80)",
      "1950, 2020-06-15, [70-80)",
      "2020-01-01, 2020-03-01, [0-10)",
      "2021-01-01, 2020-03-01, null"})
  void ageBucketAtTheEncounterDate(String birthDate, String encounterDate, String expected) {
    Patient patient = new Patient();
    patient.setBirthDateElement(new DateType(birthDate));
    assertThat(EncounterRecordMapper.age(patient, EncounterRecordMapper.localDate(new DateType(encounterDate))))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({"7.0, %, Norm", "7.01, %, >7", "8.0, %, >7", "8.01, %, >8", "63, mmol/mol, >7", "65, mmol/mol, >8",
      "5.5, '', Norm"})
  void hba1cThresholds(double value, String unit, String expected) {
    assertThat(EncounterRecordMapper.hba1cResult(List.of(lab("a1c", "4548-4", value, unit)))).isEqualTo(expected);
  }

  @Test
  void hba1cInAnIncomparableUnitCountsAsNotMeasured() {
    assertThat(EncounterRecordMapper.hba1cResult(List.of(lab("a1c", "4548-4", 0.08, "1")))).isEqualTo("None");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({"200, mg/dL, Norm", "201, mg/dL, >200", "301, mg/dL, >300", "17, mmol/L, >300", "5.5, mmol/L, Norm"})
  void glucoseThresholds(double value, String unit, String expected) {
    assertThat(EncounterRecordMapper.glucoseResult(List.of(lab("glu", "2339-0", value, unit)))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({"10, kg, [0-25)", "34, kg, [50-75)", "45.36, kg, [100-125)", "99.9, [lb_av], [75-100)",
      "200, [lb_av], >200", "91000, g, >200"})
  void weightBandsInPounds(double value, String unit, String expected) {
    assertThat(EncounterRecordMapper.weight(List.of(observation("w", "29463-7", value, unit)))).isEqualTo(expected);
  }

  @Test
  void weightInAnUnknownUnitIsMissing() {
    assertThat(EncounterRecordMapper.weight(List.of(observation("w", "29463-7", 12, "stone")))).isNull();
  }

  @ParameterizedTest(name = "{0} .. {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "2020-01-01T10:00:00Z, 2020-01-01T11:00:00Z, 1.0",
      "2020-01-01T23:00:00Z, 2020-01-02T01:00:00Z, 1.0",
      "2020-01-01T10:00:00Z, 2020-01-15T09:00:00Z, 14.0",
      "2020-01-01T10:00:00Z, null, null"})
  void timeInHospitalInCalendarDays(String start, String end, Double expected) {
    assertThat(EncounterRecordMapper.timeInHospital(encounter("e", "IMP", start, end))).isEqualTo(expected);
  }

  @Test
  void admissionTypeFromPriorityThenClass() {
    assertThat(EncounterRecordMapper.admissionType(encounter("e", "EMER", "2020-01-01T10:00:00Z", null))).isEqualTo("1");
    assertThat(EncounterRecordMapper.admissionType(encounter("e", "AMB", "2020-01-01T10:00:00Z", null))).isNull();
    Encounter elective = encounter("e", "IMP", "2020-01-01T10:00:00Z", null);
    elective.setPriority(concept("http://terminology.hl7.org/CodeSystem/v3-ActPriority", "EL"));
    assertThat(EncounterRecordMapper.admissionType(elective)).isEqualTo("3");
  }

  @Test
  void dischargeAndAdmitSourceCodesOutsideTheTablesKeepTheirSystem() {
    Encounter encounter = encounter("e", "IMP", "2020-01-01T10:00:00Z", null);
    encounter.getHospitalization()
        .setDischargeDisposition(concept(EncounterRecordMapper.HL7_DISCHARGE, "exp"))
        .setAdmitSource(concept("http://example.org/admit", "walk-in"));
    assertThat(EncounterRecordMapper.dischargeDisposition(encounter)).isEqualTo("11");
    assertThat(EncounterRecordMapper.admissionSource(encounter)).isEqualTo("http://example.org/admit|walk-in");
  }

  @Test
  void dailyDoseUsesTheTiming() {
    MedicationRequest twiceDaily = medication("m", ENCOUNTER, "2020-01-01T10:00:00Z", "6809", "metformin", 500, 2);
    assertThat(EncounterRecordMapper.dailyDose(twiceDaily)).isEqualTo(1000.0);
    MedicationRequest every4Hours = new MedicationRequest();
    Dosage dosage = every4Hours.addDosageInstruction();
    dosage.addDoseAndRate().setDose(new Quantity(1));
    dosage.setTiming(new Timing().setRepeat(new Timing.TimingRepeatComponent()
        .setFrequency(1).setPeriod(4).setPeriodUnit(Timing.UnitsOfTime.H)));
    assertThat(EncounterRecordMapper.dailyDose(every4Hours)).isEqualTo(6.0);
    MedicationRequest asNeeded = new MedicationRequest();
    asNeeded.addDosageInstruction().setAsNeeded(new org.hl7.fhir.r4.model.BooleanType(true));
    assertThat(EncounterRecordMapper.dailyDose(asNeeded)).isNull();
  }

  // ---- builders

  static Encounter encounterOf(PatientResources index, String id) {
    return index.encounters().stream().filter(e -> id.equals(e.getIdElement().getIdPart())).findFirst().orElseThrow();
  }

  static Extension omb(String url, String code) {
    Extension extension = new Extension(url);
    extension.addExtension("ombCategory", new Coding("urn:oid:2.16.840.1.113883.6.238", code, null));
    return extension;
  }

  static CodeableConcept concept(String system, String code) {
    return new CodeableConcept(new Coding(system, code, null));
  }

  static Encounter encounter(String id, String encounterClass, String start, String end) {
    Encounter encounter = new Encounter();
    encounter.setId(id);
    encounter.setStatus(Encounter.EncounterStatus.FINISHED);
    encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", encounterClass, null));
    encounter.setSubject(new Reference("Patient/" + PATIENT));
    Period period = new Period().setStartElement(new DateTimeType(start));
    if (end != null) {
      period.setEndElement(new DateTimeType(end));
    }
    encounter.setPeriod(period);
    return encounter;
  }

  static Condition condition(String id, String encounter, String system, String code) {
    Condition condition = new Condition();
    condition.setId(id);
    condition.setSubject(new Reference("Patient/" + PATIENT));
    if (encounter != null) {
      condition.setEncounter(new Reference("Encounter/" + encounter));
    }
    condition.setCode(concept(system, code));
    condition.setRecordedDateElement(new DateTimeType("2022-07-02T10:00:00+00:00"));
    return condition;
  }

  static Observation observation(String id, String loinc, double value, String unit) {
    Observation observation = new Observation();
    observation.setId(id);
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.setSubject(new Reference("Patient/" + PATIENT));
    observation.setEncounter(new Reference("Encounter/" + ENCOUNTER));
    observation.setCode(concept(EncounterRecordMapper.LOINC, loinc));
    Quantity quantity = new Quantity().setValue(BigDecimal.valueOf(value));
    if (!unit.isEmpty()) {
      quantity.setUnit(unit).setSystem("http://unitsofmeasure.org").setCode(unit);
    }
    observation.setValue(quantity);
    observation.setEffective(new DateTimeType("2022-07-02T10:00:00+00:00"));
    return observation;
  }

  static Observation lab(String id, String loinc, double value, String unit) {
    Observation observation = observation(id, loinc, value, unit);
    observation.addCategory(concept(EncounterRecordMapper.OBSERVATION_CATEGORY, "laboratory"));
    return observation;
  }

  static Procedure procedure(String id) {
    Procedure procedure = new Procedure();
    procedure.setId(id);
    procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
    procedure.setSubject(new Reference("Patient/" + PATIENT));
    procedure.setEncounter(new Reference("Encounter/" + ENCOUNTER));
    procedure.setCode(concept(DiagnosisCategories.SNOMED_SYSTEM, "430193006"));
    return procedure;
  }

  static MedicationRequest medication(
      String id, String encounter, String authoredOn, String rxnorm, String display, double dose, int timesPerDay) {
    MedicationRequest request = new MedicationRequest();
    request.setId(id);
    request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    request.setSubject(new Reference("Patient/" + PATIENT));
    request.setEncounter(new Reference("Encounter/" + encounter));
    request.setAuthoredOnElement(new DateTimeType(authoredOn));
    request.setMedication(new CodeableConcept(new Coding(RXNORM, rxnorm, display)));
    Dosage dosage = request.addDosageInstruction();
    dosage.addDoseAndRate().setDose(new Quantity(dose));
    dosage.setTiming(new Timing().setRepeat(new Timing.TimingRepeatComponent()
        .setFrequency(timesPerDay).setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D)));
    return request;
  }
}
