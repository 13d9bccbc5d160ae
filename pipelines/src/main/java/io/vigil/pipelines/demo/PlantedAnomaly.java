package io.vigil.pipelines.demo;

/**
 * The kinds of clinically implausible encounter the demo generator plants among realistic ones. Each kind breaks
 * several columns at once, the way a mis-keyed or merged record does, so a detector that learned the joint
 * distribution has something real to find.
 */
public enum PlantedAnomaly {
  PAEDIATRIC_MEDICARE_POLYPHARMACY(
      "a child under 10 on Medicare with 9+ diagnoses, 50+ medications and a long stay"),
  ONE_DAY_STAY_WITH_MAXIMAL_CARE(
      "a one-day stay with 110+ lab procedures, 6 procedures and 60+ medications"),
  MEDICATION_CONTRADICTION(
      "diabetesMed=No and change=No while insulin, metformin and glipizide are all dosed up"),
  OBSTETRIC_RECORD_FOR_MALE(
      "a male patient over 70 under obstetrics with pregnancy diagnoses (V27, 650, 644)"),
  EXTREME_UTILISATION(
      "20+ inpatient, 30+ emergency and 30+ outpatient visits in the prior year, for a patient under 30");

  private final String description;

  PlantedAnomaly(String description) {
    this.description = description;
  }

  /** What is implausible about records of this kind, in a clinician's words. */
  public String description() {
    return description;
  }
}
