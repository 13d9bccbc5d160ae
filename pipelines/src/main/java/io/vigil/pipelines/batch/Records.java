package io.vigil.pipelines.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.transforms.records.AnomalyResult;
import io.vigil.transforms.records.DeadLetter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** How results and dead letters are written: CSV rows and JSON lines with the same fields. */
public final class Records {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Lists inside one CSV cell are joined with this. */
  public static final String LIST_SEPARATOR = ";";
  public static final List<String> RESULT_COLUMNS = List.of("record_id", "score", "threshold", "anomaly",
      "model_version", "explanation_columns", "explanation_contributions", "unseen_categories",
      "out_of_range_columns");

  private Records() {}

  public static String csvHeader() {
    return csvLine(RESULT_COLUMNS);
  }

  public static String resultCsv(AnomalyResult result) {
    List<String> contributions = new ArrayList<>();
    for (double contribution : result.explanationContributions()) {
      contributions.add(Double.toString(contribution));
    }
    return csvLine(List.of(result.recordId(), Double.toString(result.score()), Double.toString(result.threshold()),
        Boolean.toString(result.anomaly()), result.modelVersion(),
        String.join(LIST_SEPARATOR, result.explanationColumns()), String.join(LIST_SEPARATOR, contributions),
        String.join(LIST_SEPARATOR, result.unseenCategories()),
        String.join(LIST_SEPARATOR, result.outOfRangeColumns())));
  }

  public static String resultJson(AnomalyResult result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("recordId", result.recordId());
    json.put("score", result.score());
    json.put("threshold", result.threshold());
    json.put("anomaly", result.anomaly());
    json.put("modelVersion", result.modelVersion());
    List<Map<String, Object>> explanation = new ArrayList<>();
    for (int i = 0; i < result.explanationColumns().size(); i++) {
      explanation.add(Map.of("column", result.explanationColumns().get(i),
          "contribution", result.explanationContributions().get(i)));
    }
    json.put("explanation", explanation);
    json.put("unseenCategories", result.unseenCategories());
    json.put("outOfRangeColumns", result.outOfRangeColumns());
    return write(json);
  }

  public static String deadLetterJson(DeadLetter deadLetter) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("source", deadLetter.source());
    json.put("location", deadLetter.location());
    json.put("reason", deadLetter.reason());
    json.put("payload", deadLetter.payload());
    return write(json);
  }

  public static String json(Map<String, ?> values) {
    return write(values);
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** One CSV line (no line end), quoted where needed. */
  public static String csvLine(List<String> values) {
    StringWriter line = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(line, CSVFormat.DEFAULT.builder().setRecordSeparator("").build())) {
      printer.printRecord(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return line.toString();
  }
}
