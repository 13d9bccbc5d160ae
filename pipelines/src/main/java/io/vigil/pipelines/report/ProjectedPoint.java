package io.vigil.pipelines.report;

/** One scored record on the first three principal components, and whether it was flagged. */
public final class ProjectedPoint {
  private final String recordId;
  private final double[] coordinates;
  private final boolean anomaly;

  public ProjectedPoint(String recordId, double[] coordinates, boolean anomaly) {
    if (coordinates.length != 3) {
      throw new IllegalArgumentException("a projected point has 3 coordinates, got " + coordinates.length);
    }
    this.recordId = recordId;
    this.coordinates = coordinates.clone();
    this.anomaly = anomaly;
  }

  public String recordId() {
    return recordId;
  }

  public double coordinate(int component) {
    return coordinates[component];
  }

  public boolean anomaly() {
    return anomaly;
  }
}
