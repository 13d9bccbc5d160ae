package io.vigil.fhir;

import io.vigil.transforms.records.Diabetes130;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * Which of the 23 diabetes-130 medication columns a medication belongs to. RxNorm orders are usually clinical drugs
 * ({@code 860975} "24 HR Metformin hydrochloride 500 MG ..."), not ingredients, and resolving them needs RxNav, which
 * a pipeline cannot call. So ingredients are found two ways: RxNorm codes listed in {@link #RXNORM_INGREDIENTS}
 * (the ingredient concepts themselves and the clinical drugs of the Synthea sample), and the ingredient names (with
 * common synonyms) in the codings' display and the concept's text. A medication with two ingredients that form a
 * combination column ({@code glyburide-metformin}) goes to that column only.
 */
final class DiabetesMedications {
  static final String RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  /** RxNorm concept → ingredient names (the column names of single drugs). */
  static final Map<String, Set<String>> RXNORM_INGREDIENTS = Map.ofEntries(
      Map.entry("6809", Set.of("metformin")),
      Map.entry("73044", Set.of("repaglinide")),
      Map.entry("274332", Set.of("nateglinide")),
      Map.entry("2404", Set.of("chlorpropamide")),
      Map.entry("25789", Set.of("glimepiride")),
      Map.entry("173", Set.of("acetohexamide")),
      Map.entry("4821", Set.of("glipizide")),
      Map.entry("4815", Set.of("glyburide")),
      Map.entry("10635", Set.of("tolbutamide")),
      Map.entry("33738", Set.of("pioglitazone")),
      Map.entry("84108", Set.of("rosiglitazone")),
      Map.entry("16681", Set.of("acarbose")),
      Map.entry("30009", Set.of("miglitol")),
      Map.entry("72610", Set.of("troglitazone")),
      Map.entry("10633", Set.of("tolazamide")),
      Map.entry("5856", Set.of("insulin")),
      Map.entry("860975", Set.of("metformin")), // 24 HR metformin hydrochloride 500 MG ER tablet (Synthea)
      Map.entry("106892", Set.of("insulin"))); // Humulin 70/30 (Synthea)

  /** Name fragments (lower case) → ingredient; synonyms map to the diabetes-130 spelling. */
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("metformin", "metformin"),
      Map.entry("repaglinide", "repaglinide"),
      Map.entry("nateglinide", "nateglinide"),
      Map.entry("chlorpropamide", "chlorpropamide"),
      Map.entry("glimepiride", "glimepiride"),
      Map.entry("acetohexamide", "acetohexamide"),
      Map.entry("glipizide", "glipizide"),
      Map.entry("glyburide", "glyburide"),
      Map.entry("glibenclamide", "glyburide"),
      Map.entry("tolbutamide", "tolbutamide"),
      Map.entry("pioglitazone", "pioglitazone"),
      Map.entry("rosiglitazone", "rosiglitazone"),
      Map.entry("acarbose", "acarbose"),
      Map.entry("miglitol", "miglitol"),
      Map.entry("troglitazone", "troglitazone"),
      Map.entry("tolazamide", "tolazamide"),
      Map.entry("examide", "examide"),
      Map.entry("citoglipton", "citoglipton"),
      Map.entry("insulin", "insulin"));

  private static final Set<String> COLUMNS = Set.copyOf(Diabetes130.MEDICATION_COLUMNS);

  /** The medication columns the concept belongs to: empty for non-diabetes drugs, usually one column. */
  static Set<String> columnsOf(CodeableConcept medication) {
    Set<String> ingredients = new TreeSet<>();
    for (Coding coding : medication.getCoding()) {
      if (RXNORM_SYSTEM.equals(coding.getSystem()) && coding.hasCode()) {
        ingredients.addAll(RXNORM_INGREDIENTS.getOrDefault(coding.getCode().trim(), Set.of()));
      }
      addNamed(coding.getDisplay(), ingredients);
    }
    addNamed(medication.getText(), ingredients);
    if (ingredients.size() == 2) {
      List<String> pair = List.copyOf(ingredients);
      for (String column : List.of(pair.get(0) + "-" + pair.get(1), pair.get(1) + "-" + pair.get(0))) {
        if (COLUMNS.contains(column)) {
          return Set.of(column);
        }
      }
    }
    return ingredients;
  }

  private static void addNamed(String text, Set<String> ingredients) {
    if (text == null || text.isBlank()) {
      return;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> name : NAMES.entrySet()) {
      if (lower.contains(name.getKey())) {
        ingredients.add(name.getValue());
      }
    }
  }

  private DiabetesMedications() {}
}
