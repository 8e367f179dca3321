package dev.weft.cli;

/** Entry point of the {@code weft} command. */
public final class Weft {
  private Weft() {}

  public static void main(String[] args) {
    System.out.println("weft: not yet wired");
  }
}
