package io.vigil.fhir;

import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * Turns a coded diagnosis into the category the diabetes-130 {@code diag_1..3} columns hold: an ICD-9-CM category as
 * the CSV writes it ({@code 428}, {@code 38}, {@code V57}, {@code E909}; diabetes keeps its fourth and fifth digit,
 * {@code 250.83}, {@code 250.8}, {@code 250}).
 *
 * <p>ICD-9-CM codes are normalised to that form. ICD-10-CM and SNOMED CT codes listed in {@link #ICD10_TO_ICD9} and
 * {@link #SNOMED_TO_ICD9} (diabetes and its complications, the common comorbidities of the diabetes-130 data, and
 * every condition in the Synthea sample) become the ICD-9 category; other codes keep a code-system-aware category,
 * {@code ICD10:K35.80} or {@code SNOMED:44054006}, so they stay distinct from ICD-9 and from each other (the model
 * sees them as unseen categories). The first coding in a known system wins, in the order ICD-9, ICD-10, SNOMED.
 */
final class DiagnosisCategories {
  static final String ICD9_SYSTEM = "http://hl7.org/fhir/sid/icd-9-cm";
  static final String ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm";
  static final String ICD10_WHO_SYSTEM = "http://hl7.org/fhir/sid/icd-10";
  static final String SNOMED_SYSTEM = "http://snomed.info/sct";

  /**
   * ICD-10 categories (first three characters, or the full code where the ICD-9 side needs it) to ICD-9 categories,
   * after the CMS general equivalence mappings at category level.
   */
  static final Map<String, String> ICD10_TO_ICD9 = Map.ofEntries(
      Map.entry("E10", "250.01"), // type 1 diabetes mellitus
      Map.entry("E11", "250"), // type 2 diabetes mellitus
      Map.entry("E13", "250"), // other specified diabetes mellitus
      Map.entry("R73", "790"), // elevated blood glucose, prediabetes
      Map.entry("I10", "401"), // essential hypertension
      Map.entry("I21", "410"), // acute myocardial infarction
      Map.entry("I25", "414"), // chronic ischaemic heart disease
      Map.entry("I48", "427"), // atrial fibrillation and flutter
      Map.entry("I50", "428"), // heart failure
      Map.entry("I63", "434"), // cerebral infarction
      Map.entry("J18", "486"), // pneumonia, organism unspecified
      Map.entry("J44", "496"), // chronic obstructive pulmonary disease
      Map.entry("N17", "584"), // acute kidney failure
      Map.entry("N18", "585"), // chronic kidney disease
      Map.entry("N39", "599"), // urinary tract infection, site not specified
      Map.entry("E78", "272"), // disorders of lipoprotein metabolism
      Map.entry("E66", "278"), // obesity
      Map.entry("E87", "276"), // fluid, electrolyte and acid-base disorders
      Map.entry("D64", "285"), // other anaemias
      Map.entry("A41", "38"), // other sepsis
      Map.entry("L03", "682")); // cellulitis

  /** SNOMED CT concepts to ICD-9 categories; diabetes complications keep the 250.x digit of the complication. */
  static final Map<String, String> SNOMED_TO_ICD9 = Map.ofEntries(
      Map.entry("44054006", "250"), // diabetes mellitus type 2 (Synthea: "Diabetes")
      Map.entry("73211009", "250"), // diabetes mellitus
      Map.entry("46635009", "250.01"), // diabetes mellitus type 1
      Map.entry("127013003", "250.4"), // diabetic renal disease
      Map.entry("422034002", "250.5"), // diabetic retinopathy, type 2
      Map.entry("1551000119108", "250.5"), // nonproliferative diabetic retinopathy, type 2
      Map.entry("1501000119109", "250.5"), // proliferative diabetic retinopathy, type 2
      Map.entry("368581000119106", "250.6"), // neuropathy due to type 2 diabetes
      Map.entry("15777000", "790"), // prediabetes
      Map.entry("80394007", "790"), // hyperglycaemia
      Map.entry("38341003", "401"), // hypertension
      Map.entry("22298006", "410"), // myocardial infarction
      Map.entry("399211009", "412"), // history of myocardial infarction
      Map.entry("53741008", "414"), // coronary heart disease
      Map.entry("410429000", "427"), // cardiac arrest
      Map.entry("429007001", "V12"), // history of cardiac arrest
      Map.entry("84114007", "428"), // heart failure
      Map.entry("431855005", "585"), // chronic kidney disease stage 1
      Map.entry("302870006", "272"), // hypertriglyceridaemia
      Map.entry("237602007", "277"), // metabolic syndrome X
      Map.entry("162864005", "278"), // body mass index 30+, obesity
      Map.entry("271737000", "285"), // anaemia
      Map.entry("444814009", "461"), // viral sinusitis
      Map.entry("36971009", "473"), // sinusitis
      Map.entry("40055000", "473"), // chronic sinusitis
      Map.entry("195662009", "462"), // acute viral pharyngitis
      Map.entry("10509002", "466"), // acute bronchitis
      Map.entry("233604007", "486"), // pneumonia
      Map.entry("446096008", "477"), // perennial allergic rhinitis
      Map.entry("128613002", "345"), // seizure disorder
      Map.entry("84757009", "345"), // epilepsy
      Map.entry("703151001", "V12"), // history of single seizure
      Map.entry("301011002", "599"), // Escherichia coli urinary tract infection
      Map.entry("38822007", "595"), // cystitis
      Map.entry("68496003", "211"), // polyp of colon
      Map.entry("201834006", "715"), // localized primary osteoarthritis of the hand
      Map.entry("39848009", "847"), // whiplash injury to neck
      Map.entry("70704007", "842"), // sprain of wrist
      Map.entry("444470001", "844"), // injury of anterior cruciate ligament
      Map.entry("307731004", "840"), // injury of tendon of the rotator cuff
      Map.entry("284549007", "882"), // laceration of hand
      Map.entry("283385000", "890"), // laceration of thigh
      Map.entry("19169002", "634"), // miscarriage in first trimester
      Map.entry("35999006", "631"), // blighted ovum
      Map.entry("72892002", "V22")); // normal pregnancy

  private static final List<String> SYSTEM_PREFERENCE =
      List.of(ICD9_SYSTEM, ICD10_SYSTEM, ICD10_WHO_SYSTEM, SNOMED_SYSTEM);

  /** The category of a coded diagnosis, or null if it carries no code (text only). */
  static @Nullable String categoryOf(CodeableConcept concept) {
    for (String system : SYSTEM_PREFERENCE) {
      for (Coding coding : concept.getCoding()) {
        if (system.equals(coding.getSystem()) && coding.hasCode() && !coding.getCode().isBlank()) {
          return categoryOf(system, coding.getCode().trim());
        }
      }
    }
    for (Coding coding : concept.getCoding()) {
      if (coding.hasCode() && !coding.getCode().isBlank()) {
        return (coding.hasSystem() ? coding.getSystem() : "unknown-system") + "|" + coding.getCode().trim();
      }
    }
    return null;
  }

  static String categoryOf(String system, String code) {
    switch (system) {
      case ICD9_SYSTEM:
        return icd9Category(code);
      case ICD10_SYSTEM:
      case ICD10_WHO_SYSTEM:
        String icd10 = code.toUpperCase(java.util.Locale.ROOT);
        String mapped = ICD10_TO_ICD9.get(icd10.length() > 3 ? icd10.substring(0, 3) : icd10);
        return mapped != null ? mapped : "ICD10:" + icd10;
      case SNOMED_SYSTEM:
        String category = SNOMED_TO_ICD9.get(code);
        return category != null ? category : "SNOMED:" + code;
      default:
        throw new IllegalArgumentException("not a diagnosis code system: " + system);
    }
  }

  /**
   * An ICD-9-CM code as the diabetes-130 CSV writes it: the category without leading zeros ({@code 038.9} →
   * {@code 38}), V and E codes as {@code V57} / {@code E909}, and for diabetes ({@code 250}) the subcategory digits
   * without trailing zeros ({@code 250.80} → {@code 250.8}, {@code 250.00} → {@code 250}).
   */
  static String icd9Category(String code) {
    String upper = code.toUpperCase(java.util.Locale.ROOT);
    int dot = upper.indexOf('.');
    String category = dot >= 0 ? upper.substring(0, dot) : upper.length() > 3 && Character.isDigit(upper.charAt(0))
        ? upper.substring(0, 3) : upper;
    String detail = dot >= 0 ? upper.substring(dot + 1)
        : upper.length() > 3 && Character.isDigit(upper.charAt(0)) ? upper.substring(3) : "";
    if (category.startsWith("E") || category.startsWith("V")) {
      return category;
    }
    String number = category.replaceFirst("^0+(?=.)", "");
    if (!"250".equals(number)) {
      return number;
    }
    String digits = detail.replaceFirst("0+$", "");
    return digits.isEmpty() ? "250" : "250." + digits;
  }

  private DiagnosisCategories() {}
}
