package io.vigil.transforms.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated lines from a byte stream and knows the byte offset where each line starts, which is
 * what lets a split of a file decide which lines it owns. A {@code \r} before the {@code \n} is dropped (CRLF files);
 * the text is UTF-8. Not thread-safe.
 */
final class LineReader implements AutoCloseable {
  private static final int CHUNK = 1 << 16;

  private final InputStream in;
  private final byte[] chunk = new byte[CHUNK];
  private int chunkLength;
  private int chunkPosition;
  private byte[] line = new byte[256];
  private int lineLength;
  private long position;
  private long lineStart;

  /** @param startPosition the byte offset in the source at which {@code in} starts */
  LineReader(InputStream in, long startPosition) {
    this.in = in;
    this.position = startPosition;
  }

  /** The byte offset of the next unread byte. */
  long position() {
    return position;
  }

  /** The byte offset where the line returned by the last {@link #next()} starts. */
  long lineStart() {
    return lineStart;
  }

  /** Advances to the next line; false at the end of the stream. A last line without a terminator is still a line. */
  boolean next() throws IOException {
    lineStart = position;
    lineLength = 0;
    boolean sawAny = false;
    while (true) {
      if (chunkPosition == chunkLength) {
        chunkLength = in.read(chunk, 0, CHUNK);
        chunkPosition = 0;
        if (chunkLength <= 0) {
          chunkLength = 0;
          stripCarriageReturn();
          return sawAny;
        }
      }
      sawAny = true;
      int from = chunkPosition;
      while (chunkPosition < chunkLength && chunk[chunkPosition] != '\n') {
        chunkPosition++;
      }
      append(from, chunkPosition - from);
      position += chunkPosition - from;
      if (chunkPosition < chunkLength) {
        chunkPosition++;
        position++;
        stripCarriageReturn();
        return true;
      }
    }
  }

  /** Whether the current line is empty (after dropping a trailing {@code \r}). */
  boolean isBlank() {
    return lineLength == 0;
  }

  /** The current line as text, without its terminator. */
  String text() {
    return new String(line, 0, lineLength, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void stripCarriageReturn() {
    if (lineLength > 0 && line[lineLength - 1] == '\r') {
      lineLength--;
    }
  }

  private void append(int from, int length) {
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
    }
    System.arraycopy(chunk, from, line, lineLength, length);
    lineLength += length;
  }
}
