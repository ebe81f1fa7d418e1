package io.todocluster.layers;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The boundaries DESIGN.md draws between the packages, kept by the compiler's output rather than
 * by review: the supervision library stands alone, the cluster layer places and fails over
 * processes without knowing what they are, and no two packages need each other.
 */
@DisplayName("The package boundaries")
class LayersTest {

  private static final String OURS = "io.todocluster";
  private static final String SUPERVISION = OURS + ".supervision..";
  /** The packages of the to-do service and of the node that runs it, which the layers below must not see. */
  private static final String[] SERVICE = {
      OURS + ".todo..", OURS + ".store..", OURS + ".http..", OURS + ".bridge..", OURS + ".node..",
      OURS + ".cli..", OURS + ".bench..", OURS + ".metrics.."};

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(OURS);
  }

  @Test
  @DisplayName("supervision imports nothing of ours: it is a library any Vert.x application can take")
  void supervisionStandsAlone() {
    noClasses().that().resideInAPackage(SUPERVISION)
        .should().dependOnClassesThat(resideInAPackage(OURS + "..").and(not(resideInAPackage(SUPERVISION))))
        .because("supervision is OTP's supervisor for any verticle")
        .check(main);
  }

  @Test
  @DisplayName("the cluster layer knows nothing of the to-do service or of the node that runs it")
  void clusterDoesNotKnowTheService() {
    noClasses().that().resideInAPackage(OURS + ".cluster..")
        .should().dependOnClassesThat().resideInAnyPackage(SERVICE)
        .because("the cluster layer places, registers and fails over processes of any kind")
        .check(main);
  }

  @Test
  @DisplayName("no two packages of ours depend on each other, directly or through others")
  void noCycles() {
    slices().matching(OURS + ".(*)..").should().beFreeOfCycles().check(main);
  }
}
