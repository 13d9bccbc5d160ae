package io.vigil.pipelines.demo;

import io.vigil.transforms.records.Diabetes130;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates realistic encounters in the Diabetes 130-US hospitals layout (all 50 columns, {@code ?} for missing), with
 * a known, labelled set of {@link PlantedAnomaly planted anomalies}.
 *
 * <p>Marginals follow the profile of the real file (shared/data/diabetes130: missing fractions, level frequencies,
 * count ranges). The joint structure is what a clinician expects: older patients are on Medicare, stay longer, carry
 * more diagnoses and take more medications; lab work grows with the stay; the diagnosis mix shifts from diabetes
 * complications in the young to heart disease in the old; {@code change} and {@code diabetesMed} agree with the
 * medication columns. Everything is drawn from one seeded {@link Random}, so a seed gives the same file.
 */
public final class DemoEncounterGenerator {
  private static final String MISSING = "?";
  private static final List<String> AGES = List.of(
      "[0-10)", "[10-20)", "[20-30)", "[30-40)", "[40-50)", "[50-60)", "[60-70)", "[70-80)", "[80-90)", "[90-100)");
  private static final double[] AGE_WEIGHTS = {0.2, 0.7, 1.6, 3.7, 9.5, 17.0, 22.1, 25.6, 16.9, 2.7};
  private static final Weighted RACE = Weighted.of(
      "Caucasian", 74.8, "AfricanAmerican", 18.9, "Hispanic", 2.0, "Other", 1.5, "Asian", 0.6, MISSING, 2.2);
  private static final Weighted WEIGHT = Weighted.of(
      MISSING, 96.9, "[75-100)", 1.3, "[50-75)", 0.9, "[100-125)", 0.6, "[125-150)", 0.15, "[25-50)", 0.1,
      "[0-25)", 0.05);
  private static final Weighted ADMISSION_TYPE = Weighted.of(
      "1", 53, "3", 18.5, "2", 18.2, "6", 5.2, "5", 4.7, "8", 0.3, "7", 0.1);
  private static final Weighted ADMISSION_SOURCE = Weighted.of(
      "7", 56.5, "1", 29.1, "17", 6.7, "4", 3.1, "6", 2.2, "2", 1.1, "5", 0.8, "3", 0.2);
  private static final Weighted EXPIRED_OR_HOSPICE = Weighted.of("11", 3, "13", 1, "14", 1);
  private static final Weighted PAYER_UNDER_65 = Weighted.of(
      MISSING, 42, "HM", 10, "SP", 8, "BC", 9, "MD", 8, "CP", 5, "UN", 5, "CM", 4, "OG", 2, "PO", 1.2, "DM", 0.5,
      "CH", 0.3, "WC", 0.3, "OT", 0.2, "MC", 4);
  private static final Weighted PAYER_65_AND_OVER = Weighted.of(
      MISSING, 38, "MC", 50, "HM", 3, "SP", 3, "BC", 1.5, "MD", 1, "CP", 1, "UN", 1, "CM", 1, "OG", 0.5);
  private static final Weighted SPECIALTY = Weighted.of(
      MISSING, 49, "InternalMedicine", 14.4, "Emergency/Trauma", 7.4, "Family/GeneralPractice", 7.3,
      "Cardiology", 5.3, "Surgery-General", 3.0, "Nephrology", 1.6, "Orthopedics", 1.4,
      "Orthopedics-Reconstructive", 1.2, "Radiologist", 1.1, "Pulmonology", 0.9, "Psychiatry", 0.8,
      "Urology", 0.7, "Gastroenterology", 0.6, "Surgery-Cardiovascular/Thoracic", 0.6, "Oncology", 0.3,
      "Neurology", 0.2, "Hematology/Oncology", 0.2, "Endocrinology", 0.1);
  /** Heart and vascular disease dominate the old; diabetes complications, infections and injuries the young. */
  private static final Weighted DIAGNOSES_OLD = Weighted.of(
      "428", 9, "414", 7, "427", 6, "410", 4, "786", 3, "486", 3.5, "491", 3, "496", 2, "434", 2.5, "435", 1,
      "403", 2, "585", 1.5, "584", 2, "276", 4, "599", 2.5, "715", 2, "820", 1.5, "038", 2, "518", 2, "401", 4,
      "250", 5, "250.02", 1, "272", 2.5, "V45", 1, "707", 1, "780", 1.5, "996", 1.5, "682", 1.5, "E878", 0.5,
      "V57", 0.8, "424", 1.5, "197", 0.5, "162", 0.5, "285", 1);
  private static final Weighted DIAGNOSES_YOUNG = Weighted.of(
      "250.13", 6, "250.11", 4, "250.12", 3, "250.01", 4, "250.02", 3, "250.6", 3, "250.8", 4, "276", 4,
      "786", 4, "780", 3, "682", 3, "996", 2, "648", 2, "V58", 1.5, "296", 3, "295", 1.5, "305", 1.5, "311", 1,
      "493", 2, "486", 2, "599", 2, "577", 1.5, "574", 1, "540", 1, "E888", 0.5, "959", 1, "428", 1, "414", 1,
      "401", 2, "250", 4, "V27", 0.3, "644", 0.3);
  private static final Weighted PROCEDURES = Weighted.of(
      "0", 45.8, "1", 20.4, "2", 12.5, "3", 9.3, "6", 4.9, "4", 4.1, "5", 3.0);
  private static final Weighted GLUCOSE_SERUM = Weighted.of("None", 94.7, "Norm", 2.6, ">200", 1.5, ">300", 1.2);
  private static final Weighted A1C = Weighted.of("None", 83.3, ">8", 8.1, "Norm", 4.9, ">7", 3.7);
  private static final Weighted READMITTED = Weighted.of("NO", 53.9, ">30", 34.9, "<30", 11.2);
  private static final Weighted INSULIN = Weighted.of("No", 46.6, "Steady", 30.3, "Down", 12.0, "Up", 11.1);
  /** Fraction of encounters on each oral agent (the rest is {@code No}); from the real file's level counts. */
  private static final Map<String, Double> ORAL_AGENT_USE = oralAgentUse();

  private final long seed;
  private final int encounters;
  private final double anomalyFraction;

  private DemoEncounterGenerator(long seed, int encounters, double anomalyFraction) {
    this.seed = seed;
    this.encounters = encounters;
    this.anomalyFraction = anomalyFraction;
  }

  /** 3,000 encounters, 1% of them planted anomalies. */
  public static DemoEncounterGenerator withSeed(long seed) {
    return new DemoEncounterGenerator(seed, 3000, 0.01);
  }

  public DemoEncounterGenerator withEncounters(int count) {
    if (count < 10) {
      throw new IllegalArgumentException("need at least 10 encounters, got " + count);
    }
    return new DemoEncounterGenerator(seed, count, anomalyFraction);
  }

  /** The fraction of encounters replaced by planted anomalies, in [0, 0.5]. */
  public DemoEncounterGenerator withAnomalyFraction(double fraction) {
    if (!(fraction >= 0 && fraction <= 0.5)) {
      throw new IllegalArgumentException("anomaly fraction must be in [0, 0.5], got " + fraction);
    }
    return new DemoEncounterGenerator(seed, encounters, fraction);
  }

  public DemoDataset generate() {
    Random random = new Random(seed);
    int anomalies = (int) Math.round(encounters * anomalyFraction);
    // Planted rows sit at random positions, not at the end, so a split by id spreads them over train/val/test.
    boolean[] plantedAt = new boolean[encounters];
    for (int placed = 0; placed < anomalies; ) {
      int position = random.nextInt(encounters);
      if (!plantedAt[position]) {
        plantedAt[position] = true;
        placed++;
      }
    }
    List<String> columns = Diabetes130.SPEC.names();
    List<List<String>> rows = new ArrayList<>(encounters);
    Map<String, PlantedAnomaly> planted = new LinkedHashMap<>();
    PlantedAnomaly[] kinds = PlantedAnomaly.values();
    int plantedCount = 0;
    for (int i = 0; i < encounters; i++) {
      Map<String, String> encounter = realisticEncounter(random, i);
      if (plantedAt[i]) {
        PlantedAnomaly kind = kinds[plantedCount++ % kinds.length];
        plant(kind, encounter, random);
        planted.put(encounter.get(Diabetes130.ID_COLUMN), kind);
      }
      List<String> row = new ArrayList<>(columns.size());
      for (String column : columns) {
        row.add(encounter.get(column));
      }
      rows.add(row);
    }
    return new DemoDataset(columns, rows, planted);
  }

  private static Map<String, String> realisticEncounter(Random random, int index) {
    Map<String, String> e = new HashMap<>();
    e.put("encounter_id", Long.toString(2_000_000L + 7L * index + random.nextInt(7)));
    e.put("patient_nbr", Long.toString(100_000L + random.nextInt(Math.max(1000, index + 1000))));
    int ageBand = pick(random, AGE_WEIGHTS);
    double ageFactor = ageBand / 9.0;
    e.put("race", RACE.draw(random));
    e.put("gender", random.nextDouble() < 0.538 ? "Female" : "Male");
    e.put("age", AGES.get(ageBand));
    e.put("weight", WEIGHT.draw(random));
    e.put("admission_type_id", ADMISSION_TYPE.draw(random));
    e.put("discharge_disposition_id", dischargeFor(random, ageFactor));
    e.put("admission_source_id", ADMISSION_SOURCE.draw(random));

    int stay = clamp((int) Math.round(1 + gamma(random, 1.6 + 1.2 * ageFactor, 1.9)), 1, 14);
    e.put("time_in_hospital", Integer.toString(stay));
    e.put("payer_code", (ageBand >= 7 ? PAYER_65_AND_OVER : PAYER_UNDER_65).draw(random));
    e.put("medical_specialty", SPECIALTY.draw(random));
    int labs = clamp((int) Math.round(28 + 3.2 * stay + 17 * random.nextGaussian()), 1, 120);
    e.put("num_lab_procedures", Integer.toString(labs));
    e.put("num_procedures", PROCEDURES.draw(random));
    int diagnoses = clamp((int) Math.round(4 + 5.5 * ageFactor + 1.6 * random.nextGaussian()), 1, 16);
    e.put("number_diagnoses", Integer.toString(Math.min(diagnoses, ageBand >= 5 ? 16 : 9)));
    int medications = clamp(
        (int) Math.round(3 + 1.1 * stay + 0.9 * diagnoses + 4 * ageFactor + 5 * random.nextGaussian()), 1, 60);
    e.put("num_medications", Integer.toString(medications));
    e.put("number_outpatient", Integer.toString(visits(random, 0.17, 1.8)));
    e.put("number_emergency", Integer.toString(visits(random, 0.11, 1.2)));
    int inpatient = visits(random, 0.34, 1.5);
    e.put("number_inpatient", Integer.toString(inpatient));
    Weighted diagnosisMix = random.nextDouble() < ageFactor ? DIAGNOSES_OLD : DIAGNOSES_YOUNG;
    e.put("diag_1", random.nextDouble() < 0.0002 ? MISSING : diagnosisMix.draw(random));
    e.put("diag_2", random.nextDouble() < 0.0035 ? MISSING : diagnosisMix.draw(random));
    e.put("diag_3", random.nextDouble() < 0.014 ? MISSING : diagnosisMix.draw(random));
    e.put("max_glu_serum", GLUCOSE_SERUM.draw(random));
    e.put("A1Cresult", A1C.draw(random));

    boolean anyMedication = false;
    boolean anyDoseChange = false;
    for (String medication : Diabetes130.MEDICATION_COLUMNS) {
      String dose;
      if (medication.equals("insulin")) {
        dose = INSULIN.draw(random);
      } else if (random.nextDouble() < ORAL_AGENT_USE.getOrDefault(medication, 0.0)) {
        double u = random.nextDouble();
        dose = u < 0.9 ? "Steady" : u < 0.96 ? "Up" : "Down";
      } else {
        dose = "No";
      }
      e.put(medication, dose);
      anyMedication |= !dose.equals("No");
      anyDoseChange |= dose.equals("Up") || dose.equals("Down");
    }
    // A new prescription also counts as a change in the real data, hence the extra draw.
    e.put("change", anyDoseChange || (anyMedication && random.nextDouble() < 0.2) ? "Ch" : "No");
    e.put("diabetesMed", anyMedication ? "Yes" : "No");
    e.put("readmitted", inpatient >= 2 && random.nextDouble() < 0.5
        ? (random.nextBoolean() ? "<30" : ">30") : READMITTED.draw(random));
    return e;
  }

  private static void plant(PlantedAnomaly kind, Map<String, String> e, Random random) {
    switch (kind) {
      case PAEDIATRIC_MEDICARE_POLYPHARMACY:
        e.put("age", "[0-10)");
        e.put("payer_code", "MC");
        e.put("number_diagnoses", Integer.toString(9 + random.nextInt(7)));
        e.put("num_medications", Integer.toString(50 + random.nextInt(30)));
        e.put("time_in_hospital", Integer.toString(11 + random.nextInt(4)));
        e.put("diag_1", "428");
        e.put("diag_2", "414");
        break;
      case ONE_DAY_STAY_WITH_MAXIMAL_CARE:
        e.put("time_in_hospital", "1");
        e.put("num_lab_procedures", Integer.toString(110 + random.nextInt(22)));
        e.put("num_procedures", "6");
        e.put("num_medications", Integer.toString(60 + random.nextInt(20)));
        e.put("number_diagnoses", "16");
        break;
      case MEDICATION_CONTRADICTION:
        e.put("insulin", "Up");
        e.put("metformin", "Up");
        e.put("glipizide", "Up");
        e.put("glyburide", "Down");
        e.put("change", "No");
        e.put("diabetesMed", "No");
        e.put("A1Cresult", ">8");
        e.put("max_glu_serum", ">300");
        break;
      case OBSTETRIC_RECORD_FOR_MALE:
        e.put("gender", "Male");
        e.put("age", random.nextBoolean() ? "[70-80)" : "[80-90)");
        e.put("medical_specialty", "ObstetricsandGynecology");
        e.put("diag_1", "V27");
        e.put("diag_2", "650");
        e.put("diag_3", "644");
        e.put("payer_code", "MC");
        break;
      case EXTREME_UTILISATION:
        e.put("age", "[20-30)");
        e.put("number_inpatient", Integer.toString(20 + random.nextInt(2)));
        e.put("number_emergency", Integer.toString(30 + random.nextInt(20)));
        e.put("number_outpatient", Integer.toString(30 + random.nextInt(12)));
        e.put("readmitted", "<30");
        break;
      default:
        throw new IllegalStateException("no recipe for planted anomaly " + kind);
    }
  }

  private static String dischargeFor(Random random, double ageFactor) {
    // Expired (11) and hospice (13, 14) grow with age; home (1) shrinks.
    if (random.nextDouble() < 0.01 + 0.03 * ageFactor) {
      return EXPIRED_OR_HOSPICE.draw(random);
    }
    return Weighted.of("1", 62 - 20 * ageFactor, "3", 8 + 12 * ageFactor, "6", 12.7, "18", 3.6, "2", 2.1,
        "22", 2.0, "5", 1.2, "4", 0.8, "7", 0.6, "23", 0.4, "25", 1.0).draw(random);
  }

  /** Prior-year visit counts: most patients have none; the rest a geometric tail. */
  private static int visits(Random random, double probabilityAny, double mean) {
    if (random.nextDouble() >= probabilityAny) {
      return 0;
    }
    int count = 1;
    while (count < 15 && random.nextDouble() < 1 - 1 / mean) {
      count++;
    }
    return count;
  }

  /** Marsaglia-Tsang gamma draw (shape ≥ 1), scaled. */
  private static double gamma(Random random, double shape, double scale) {
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = Math.pow(1 + c * x, 3);
      if (v > 0 && Math.log(random.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v * scale;
      }
    }
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }

  private static int pick(Random random, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static Map<String, Double> oralAgentUse() {
    Map<String, Double> use = new HashMap<>();
    use.put("metformin", 0.196);
    use.put("repaglinide", 0.015);
    use.put("nateglinide", 0.007);
    use.put("chlorpropamide", 0.001);
    use.put("glimepiride", 0.051);
    use.put("glipizide", 0.125);
    use.put("glyburide", 0.105);
    use.put("tolbutamide", 0.0002);
    use.put("pioglitazone", 0.072);
    use.put("rosiglitazone", 0.063);
    use.put("acarbose", 0.003);
    use.put("miglitol", 0.0004);
    use.put("tolazamide", 0.0004);
    use.put("glyburide-metformin", 0.007);
    return use;
  }

  /** Levels with relative weights, drawn by inversion. */
  private static final class Weighted {
    private final String[] levels;
    private final double[] weights;

    private Weighted(String[] levels, double[] weights) {
      this.levels = levels;
      this.weights = weights;
    }

    /** Alternating level, weight pairs. */
    static Weighted of(Object... levelWeightPairs) {
      int n = levelWeightPairs.length / 2;
      String[] levels = new String[n];
      double[] weights = new double[n];
      for (int i = 0; i < n; i++) {
        levels[i] = (String) levelWeightPairs[2 * i];
        weights[i] = ((Number) levelWeightPairs[2 * i + 1]).doubleValue();
      }
      return new Weighted(levels, weights);
    }

    String draw(Random random) {
      return levels[pick(random, weights)];
    }
  }
}
