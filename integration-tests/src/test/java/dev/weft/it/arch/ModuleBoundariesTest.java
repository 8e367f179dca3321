package dev.weft.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of DESIGN.md, checked on the compiled classes: the protocol core,
 * routing and health are pure (no Netty, protobuf, I/O, threads, wall clocks or ambient
 * randomness) so the simulator runs the very same code; core never depends on the modules that
 * implement its interfaces. The Maven enforcer bans the dependencies; this bans the calls.
 */
class ModuleBoundariesTest {
  private static final String[] PURE = {"dev.weft.core..", "dev.weft.routing..", "dev.weft.health..",
      "dev.weft.sim.engine.."};
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.weft");
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }

  @Test
  void importsEveryModule() {
    // Guards the rules below against vacuous success when a module is missing from the classpath.
    org.junit.jupiter.api.Assertions.assertTrue(
        classes.containPackage("dev.weft.core.identity") && classes.containPackage("dev.weft.net.host"),
        "core and net classes must be on the test classpath");
  }

  @Test
  void pureModulesDoNotUseNettyProtobufOrTheNetLayer() {
    check(noClasses().that().resideInAnyPackage(PURE)
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.netty..", "com.google.protobuf..", "dev.weft.net..", "dev.weft.cli..",
            "dev.weft.simulator..", "java.net..", "java.nio.channels..", "java.nio.file.."));
  }

  @Test
  void coreDoesNotDependOnItsImplementations() {
    check(noClasses().that().resideInAPackage("dev.weft.core..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.weft.routing..", "dev.weft.health.."));
  }

  @Test
  void pureModulesReadNoWallClock() {
    check(noClasses().that().resideInAnyPackage(PURE)
        .should().callMethod(System.class, "nanoTime")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(java.time.Clock.class, "systemUTC"));
  }

  @Test
  void pureModulesUseOnlyInjectedRandomness() {
    check(noClasses().that().resideInAnyPackage(PURE)
        .should().dependOnClassesThat().areAssignableTo(ThreadLocalRandom.class)
        .orShould().callMethod(Math.class, "random")
        .orShould().callConstructor(Random.class)
        .orShould().callConstructor(java.security.SecureRandom.class));
  }

  @Test
  void pureModulesStartNoThreadsAndTakeNoLocks() {
    check(noClasses().that().resideInAnyPackage(PURE)
        .should().dependOnClassesThat().areAssignableTo(Thread.class)
        .orShould().dependOnClassesThat().resideInAPackage("java.util.concurrent.."));
  }

  @Test
  void onlyTheNetModuleTouchesNetty() {
    check(noClasses().that().resideOutsideOfPackages("dev.weft.net..", "dev.weft.cli..", "dev.weft.bench..", "dev.weft.it..")
        .and().resideInAPackage("dev.weft..")
        .should().dependOnClassesThat().resideInAPackage("io.netty.."));
  }
}
