package io.kato.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.kato.common.Limits;
import io.kato.common.proto.ProtoValues;
import io.kato.proto.v1.CreateSessionRequest;
import io.kato.proto.v1.Emotive;
import io.kato.proto.v1.MapValue;
import io.kato.proto.v1.Observation;
import io.kato.proto.v1.ObserveSequenceRequest;
import io.kato.proto.v1.Value;
import io.kato.proto.v1.Vector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** The v3 request models of API.md §2.2.1, §2.2.7, §2.2.8, §2.3.1 and §2.3.2. */
class RequestModelsTest {
  private static final Limits DEFAULT = Limits.DEFAULTS;
  /** maxSymbolsPerEvent 2, maxSymbolLength 4, maxVectorsPerEvent 2, maxVectorDimension 3, maxEmotives 2, maxSequenceObservations 2, maxNodeIdLength 5. */
  private static final Limits SMALL = new Limits(1 << 20, 2, 4, 2, 3, 2, 2, 5, 256);

  private static JsonNode json(String text) {
    try {
      return JsonValues.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<ValidationIssue> issues(ThrowingSupplier<?> call) {
    RequestValidationException e = catchThrowableOfType(() -> call.get(), RequestValidationException.class);
    assertThat(e).as("expected RequestValidationException").isNotNull();
    return e.issues();
  }

  private static ValidationIssue single(ThrowingSupplier<?> call) {
    List<ValidationIssue> issues = issues(call);
    assertThat(issues).hasSize(1);
    return issues.get(0);
  }

  private static Map<String, Object> java(MapValue map) {
    return ProtoValues.toJavaMap(map);
  }

  // =============================================================================================
  @Nested
  class CreateSession {
    private CreateSessionRequest create(String body) {
      return RequestModels.createSession(json(body), DEFAULT, false);
    }

    @Test
    void minimalBody() {
      CreateSessionRequest r = create("{\"node_id\": \"user-123\"}");
      assertThat(r.getNodeId()).isEqualTo("user-123");
      assertThat(r.hasConfig()).isFalse();
      assertThat(r.hasMetadata()).isFalse();
      assertThat(r.getTtlSeconds()).isZero();
      assertThat(r.getSessionId()).isEmpty();
    }

    @Test
    void emptyNodeIdIsAccepted() {
      assertThat(create("{\"node_id\": \"\"}").getNodeId()).isEmpty();
    }

    @Test
    void missingNodeId() {
      ValidationIssue issue = single(() -> create("{\"metadata\": {}}"));
      assertThat(issue.type()).isEqualTo("missing");
      assertThat(issue.loc()).containsExactly("body", "node_id");
      assertThat(issue.msg()).isEqualTo("Field required");
    }

    @Test
    void nullNodeIdIsStringType() {
      assertThat(single(() -> create("{\"node_id\": null}"))).isEqualTo(new ValidationIssue("string_type",
          List.of("body", "node_id"), "Input should be a valid string", null, null));
      assertThat(single(() -> create("{\"node_id\": 42}"))).isEqualTo(new ValidationIssue("string_type",
          List.of("body", "node_id"), "Input should be a valid string", 42L, null));
    }

    @Test
    void bodyNotAnObject() {
      for (String body : new String[] {"[]", "\"x\"", "5", "null"}) {
        ValidationIssue issue = single(() -> create(body));
        assertThat(issue.type()).as(body).isEqualTo("model_attributes_type");
        assertThat(issue.loc()).containsExactly("body");
        assertThat(issue.msg()).isEqualTo("Input should be a valid dictionary or object to extract fields from");
      }
    }

    @Test
    void configAndMetadataKeepKindsAndOrder() {
      CreateSessionRequest r = create("{\"node_id\": \"n\", \"config\": {\"persistence\": 7, \"recall_threshold\": 0.5,"
          + " \"indexer_type\": \"VI\"}, \"metadata\": {\"app_version\": \"2.0\", \"n\": 1}}");
      assertThat(r.hasConfig()).isTrue();
      assertThat(java(r.getConfig()).keySet()).containsExactly("persistence", "recall_threshold", "indexer_type");
      assertThat(r.getConfig().getEntries(0).getValue().getKindCase()).isEqualTo(Value.KindCase.INT_VALUE);
      assertThat(r.getConfig().getEntries(1).getValue().getKindCase()).isEqualTo(Value.KindCase.DOUBLE_VALUE);
      assertThat(java(r.getConfig())).containsEntry("persistence", 7L).containsEntry("recall_threshold", 0.5);
      assertThat(java(r.getMetadata())).containsExactly(Map.entry("app_version", "2.0"), Map.entry("n", 1L));
    }

    @Test
    void nullConfigAndMetadataAreAbsent() {
      CreateSessionRequest r = create("{\"node_id\": \"n\", \"config\": null, \"metadata\": null, \"ttl_seconds\": null}");
      assertThat(r.hasConfig()).isFalse();
      assertThat(r.hasMetadata()).isFalse();
      assertThat(r.getTtlSeconds()).isZero();
    }

    @Test
    void configNotAnObjectIsDictType() {
      assertThat(single(() -> create("{\"node_id\": \"n\", \"config\": 5}"))).isEqualTo(new ValidationIssue(
          "dict_type", List.of("body", "config"), "Input should be a valid dictionary", 5L, null));
      assertThat(single(() -> create("{\"node_id\": \"n\", \"config\": [1]}")).loc()).containsExactly("body", "config");
      assertThat(single(() -> create("{\"node_id\": \"n\", \"config\": \"x\"}")).type()).isEqualTo("dict_type");
    }

    @Test
    void metadataNotAnObjectIsDictType() {
      ValidationIssue issue = single(() -> create("{\"node_id\": \"n\", \"metadata\": [\"a\"]}"));
      assertThat(issue.type()).isEqualTo("dict_type");
      assertThat(issue.loc()).containsExactly("body", "metadata");
      assertThat(issue.input()).isEqualTo(List.of("a"));
    }

    @Test
    void ttlIsLaxInteger() {
      assertThat(create("{\"node_id\": \"n\", \"ttl_seconds\": \"60\"}").getTtlSeconds()).isEqualTo(60);
      assertThat(create("{\"node_id\": \"n\", \"ttl_seconds\": 60.0}").getTtlSeconds()).isEqualTo(60);
      assertThat(create("{\"node_id\": \"n\", \"ttl_seconds\": 0}").getTtlSeconds()).isZero();
      assertThat(create("{\"node_id\": \"n\", \"ttl_seconds\": 7200}").getTtlSeconds()).isEqualTo(7200);
    }

    @Test
    void negativeTtlIsGreaterThanEqual() {
      assertThat(single(() -> create("{\"node_id\": \"n\", \"ttl_seconds\": -1}"))).isEqualTo(new ValidationIssue(
          "greater_than_equal", List.of("body", "ttl_seconds"), "Input should be greater than or equal to 0", -1L,
          Map.of("ge", 0L)));
    }

    @Test
    void badTtlTypes() {
      assertThat(single(() -> create("{\"node_id\": \"n\", \"ttl_seconds\": 1.5}")).type()).isEqualTo("int_from_float");
      assertThat(single(() -> create("{\"node_id\": \"n\", \"ttl_seconds\": \"soon\"}")).type())
          .isEqualTo("int_parsing");
      assertThat(single(() -> create("{\"node_id\": \"n\", \"ttl_seconds\": [60]}")).type()).isEqualTo("int_type");
    }

    @Test
    void clientSessionIdPattern() {
      assertThat(create("{\"node_id\": \"n\", \"session_id\": \"my.Session_1:a@b-c\"}").getSessionId())
          .isEqualTo("my.Session_1:a@b-c");
      assertThat(create("{\"node_id\": \"n\", \"session_id\": \"" + "a".repeat(256) + "\"}").getSessionId())
          .hasSize(256);
      assertThat(create("{\"node_id\": \"n\", \"session_id\": null}").getSessionId()).isEmpty();
      for (String bad : new String[] {"has space", "", "a/b", "\u00e9", "a".repeat(257), "__node__:x"}) {
        ValidationIssue issue = single(() -> create("{\"node_id\": \"n\", \"session_id\": \"" + bad + "\"}"));
        assertThat(issue.type()).as(bad).isEqualTo("string_pattern_mismatch");
        assertThat(issue.loc()).containsExactly("body", "session_id");
        assertThat(issue.input()).isEqualTo(bad);
      }
      assertThat(single(() -> create("{\"node_id\": \"n\", \"session_id\": 5}")).type()).isEqualTo("string_type");
    }

    @Test
    void userIdAliasOnlyWhenAsked() {
      JsonNode body = json("{\"user_id\": \"u1\"}");
      assertThat(RequestModels.createSession(body, DEFAULT, true).getNodeId()).isEqualTo("u1");
      ValidationIssue issue = single(() -> RequestModels.createSession(body, DEFAULT, false));
      assertThat(issue.type()).isEqualTo("missing");
      assertThat(issue.loc()).containsExactly("body", "node_id");
      JsonNode both = json("{\"user_id\": \"u1\", \"node_id\": \"n1\"}");
      assertThat(RequestModels.createSession(both, DEFAULT, true).getNodeId()).isEqualTo("n1");
    }

    @Test
    void nodeIdLengthLimit() {
      assertThat(RequestModels.createSession(json("{\"node_id\": \"abcde\"}"), SMALL, false).getNodeId())
          .isEqualTo("abcde");
      ValidationIssue issue = single(() -> RequestModels.createSession(json("{\"node_id\": \"abcdef\"}"), SMALL, false));
      assertThat(issue.type()).isEqualTo("too_long");
      assertThat(issue.loc()).containsExactly("body", "node_id");
      assertThat(issue.msg()).isEqualTo("String should have at most 5 characters");
      assertThat(issue.ctx()).isEqualTo(Map.of("max_length", 5L));
      // code points, not UTF-16 units: five astral characters are five characters
      String astral = "\uD83D\uDE00".repeat(5);
      assertThat(RequestModels.createSession(json("{\"node_id\": \"" + astral + "\"}"), SMALL, false).getNodeId())
          .isEqualTo(astral);
    }

    @Test
    void allIssuesAreReportedTogether() {
      List<ValidationIssue> issues = issues(() -> create(
          "{\"node_id\": null, \"config\": 3, \"metadata\": \"m\", \"ttl_seconds\": -5, \"session_id\": \"bad id\"}"));
      assertThat(issues).extracting(ValidationIssue::type)
          .containsExactly("string_type", "dict_type", "dict_type", "greater_than_equal", "string_pattern_mismatch");
      assertThat(issues).extracting(i -> i.loc().get(1))
          .containsExactly("node_id", "config", "metadata", "ttl_seconds", "session_id");
    }

    @Test
    void unknownFieldsAreIgnored() {
      assertThat(create("{\"node_id\": \"n\", \"whatever\": [1, 2], \"extra\": null}").getNodeId()).isEqualTo("n");
    }
  }

  // =============================================================================================
  @Nested
  class Observe {
    private Observation observe(String body) {
      return RequestModels.observe(json(body), DEFAULT, false);
    }

    @Test
    void emptyBodyIsAnEmptyObservation() {
      Observation o = observe("{}");
      assertThat(o.getStringsList()).isEmpty();
      assertThat(o.getVectorsList()).isEmpty();
      assertThat(o.getEmotivesList()).isEmpty();
      assertThat(o.getMetadata().getEntriesList()).isEmpty();
      assertThat(o.getUniqueId()).isEmpty();
    }

    @Test
    void fullBody() {
      Observation o = observe("{\"strings\": [\"hello\", \"world\", \"\"], \"vectors\": [[1, 2.5, \"3\"], [true, false]],"
          + " \"emotives\": {\"energy\": 10, \"joy\": \"0.5\", \"calm\": -1.25}, \"metadata\": {\"book\": \"Alice\", \"n\": 3}}");
      assertThat(o.getStringsList()).containsExactly("hello", "world", "");
      assertThat(o.getVectorsList()).containsExactly(
          Vector.newBuilder().addValues(1.0).addValues(2.5).addValues(3.0).build(),
          Vector.newBuilder().addValues(1.0).addValues(0.0).build());
      assertThat(o.getEmotivesList()).containsExactly(
          Emotive.newBuilder().setName("energy").setValue(10.0).build(),
          Emotive.newBuilder().setName("joy").setValue(0.5).build(),
          Emotive.newBuilder().setName("calm").setValue(-1.25).build());
      assertThat(java(o.getMetadata())).containsExactly(Map.entry("book", "Alice"), Map.entry("n", 3L));
    }

    @Test
    void nullStringIsStringTypeAtItsIndex() {
      assertThat(single(() -> observe("{\"strings\": [null]}"))).isEqualTo(new ValidationIssue("string_type",
          List.of("body", "strings", 0), "Input should be a valid string", null, null));
      List<ValidationIssue> issues = issues(() -> observe("{\"strings\": [\"a\", 5, \"b\", true]}"));
      assertThat(issues).extracting(ValidationIssue::loc)
          .containsExactly(List.of("body", "strings", 1), List.of("body", "strings", 3));
      assertThat(issues).extracting(ValidationIssue::input).containsExactly(5L, true);
    }

    @Test
    void stringsNotAList() {
      assertThat(single(() -> observe("{\"strings\": \"abc\"}"))).isEqualTo(new ValidationIssue("list_type",
          List.of("body", "strings"), "Input should be a valid list", "abc", null));
      assertThat(single(() -> observe("{\"strings\": null}")).type()).isEqualTo("list_type");
    }

    @Test
    void vectorIssues() {
      assertThat(single(() -> observe("{\"vectors\": [[1.0, \"x\"]]}"))).isEqualTo(new ValidationIssue(
          "float_parsing", List.of("body", "vectors", 0, 1),
          "Input should be a valid number, unable to parse string as a number", "x", null));
      assertThat(single(() -> observe("{\"vectors\": [[1.0], [null]]}"))).isEqualTo(new ValidationIssue(
          "float_type", List.of("body", "vectors", 1, 0), "Input should be a valid number", null, null));
      ValidationIssue notNested = single(() -> observe("{\"vectors\": [1.0]}"));
      assertThat(notNested.type()).isEqualTo("list_type");
      assertThat(notNested.loc()).containsExactly("body", "vectors", 0);
      assertThat(single(() -> observe("{\"vectors\": {}}")).loc()).containsExactly("body", "vectors");
      ValidationIssue nonFinite = single(() -> observe("{\"vectors\": [[\"nan\"]]}"));
      assertThat(nonFinite.type()).isEqualTo("finite_number");
      assertThat(nonFinite.loc()).containsExactly("body", "vectors", 0, 0);
    }

    @Test
    void emotiveIssues() {
      assertThat(single(() -> observe("{\"emotives\": {\"joy\": \"abc\"}}"))).isEqualTo(new ValidationIssue(
          "float_parsing", List.of("body", "emotives", "joy"),
          "Input should be a valid number, unable to parse string as a number", "abc", null));
      assertThat(single(() -> observe("{\"emotives\": {\"joy\": [1]}}")).type()).isEqualTo("float_type");
      ValidationIssue notMap = single(() -> observe("{\"emotives\": [1]}"));
      assertThat(notMap.type()).isEqualTo("dict_type");
      assertThat(notMap.loc()).containsExactly("body", "emotives");
      assertThat(single(() -> observe("{\"emotives\": {\"joy\": \"inf\"}}")).type()).isEqualTo("finite_number");
      assertThat(single(() -> observe("{\"emotives\": {\"joy\": 1e400}}")).type()).isEqualTo("finite_number");
    }

    @Test
    void metadataMustBeAMap() {
      ValidationIssue issue = single(() -> observe("{\"metadata\": 5}"));
      assertThat(issue.type()).isEqualTo("dict_type");
      assertThat(issue.loc()).containsExactly("body", "metadata");
    }

    @Test
    void bodyNotAnObject() {
      ValidationIssue issue = single(() -> observe("[\"a\"]"));
      assertThat(issue.type()).isEqualTo("model_attributes_type");
      assertThat(issue.loc()).containsExactly("body");
    }

    @Test
    void tooManyStrings() {
      assertThat(RequestModels.observe(json("{\"strings\": [\"a\", \"b\"]}"), SMALL, false).getStringsCount())
          .isEqualTo(2);
      ValidationIssue issue = single(() -> RequestModels.observe(json("{\"strings\": [\"a\", \"b\", \"c\"]}"), SMALL,
          false));
      assertThat(issue.type()).isEqualTo("too_long");
      assertThat(issue.loc()).containsExactly("body", "strings");
      assertThat(issue.msg()).isEqualTo("List should have at most 2 items");
      assertThat(issue.ctx()).isEqualTo(Map.of("max_length", 2L));
    }

    @Test
    void otherLimits() {
      ValidationIssue longSymbol = single(() -> RequestModels.observe(json("{\"strings\": [\"abcde\"]}"), SMALL, false));
      assertThat(longSymbol.type()).isEqualTo("too_long");
      assertThat(longSymbol.loc()).containsExactly("body", "strings", 0);
      assertThat(longSymbol.msg()).isEqualTo("String should have at most 4 characters");
      assertThat(longSymbol.ctx()).isEqualTo(Map.of("max_length", 4L));

      ValidationIssue dim = single(() -> RequestModels.observe(json("{\"vectors\": [[1, 2, 3, 4]]}"), SMALL, false));
      assertThat(dim.loc()).containsExactly("body", "vectors", 0);
      assertThat(dim.ctx()).isEqualTo(Map.of("max_length", 3L));

      ValidationIssue vectors = single(() -> RequestModels.observe(json("{\"vectors\": [[1], [2], [3]]}"), SMALL,
          false));
      assertThat(vectors.loc()).containsExactly("body", "vectors");

      ValidationIssue emotives = single(() -> RequestModels.observe(
          json("{\"emotives\": {\"a\": 1, \"b\": 2, \"c\": 3}}"), SMALL, false));
      assertThat(emotives.type()).isEqualTo("too_long");
      assertThat(emotives.loc()).containsExactly("body", "emotives");
      assertThat(emotives.ctx()).isEqualTo(Map.of("max_length", 2L));
    }

    @Test
    void uniqueIdReadOnlyWhenAsked() {
      JsonNode body = json("{\"strings\": [\"a\"], \"unique_id\": \"obs-1\"}");
      assertThat(RequestModels.observe(body, DEFAULT, false).getUniqueId()).isEmpty();
      assertThat(RequestModels.observe(body, DEFAULT, true).getUniqueId()).isEqualTo("obs-1");
    }

    @Test
    void allIssuesReportedTogether() {
      List<ValidationIssue> issues = issues(() -> observe(
          "{\"strings\": [1], \"vectors\": [[\"x\"]], \"emotives\": {\"joy\": null}, \"metadata\": []}"));
      assertThat(issues).extracting(ValidationIssue::loc).containsExactly(
          List.of("body", "strings", 0), List.of("body", "vectors", 0, 0), List.of("body", "emotives", "joy"),
          List.of("body", "metadata"));
    }
  }

  // =============================================================================================
  @Nested
  class ObserveSequence {
    private ObserveSequenceRequest sequence(String body) {
      return RequestModels.observeSequence(json(body), DEFAULT);
    }

    @Test
    void observationsRequired() {
      assertThat(single(() -> sequence("{}"))).isEqualTo(new ValidationIssue("missing",
          List.of("body", "observations"), "Field required", null, null));
    }

    @Test
    void observationsNotAList() {
      assertThat(single(() -> sequence("{\"observations\": \"not_a_list\"}"))).isEqualTo(new ValidationIssue(
          "list_type", List.of("body", "observations"), "Input should be a valid list", "not_a_list", null));
      assertThat(single(() -> sequence("{\"observations\": null}")).type()).isEqualTo("list_type");
      assertThat(single(() -> sequence("{\"observations\": {}}")).type()).isEqualTo("list_type");
    }

    @Test
    void emptyListIsValid() {
      ObserveSequenceRequest r = sequence("{\"observations\": []}");
      assertThat(r.getObservationsList()).isEmpty();
      assertThat(r.getLearnAfterEach()).isFalse();
      assertThat(r.getLearnAtEnd()).isFalse();
      assertThat(r.getClearStmBetween()).isFalse();
    }

    @Test
    void itemsAreParsed() {
      ObserveSequenceRequest r = sequence("{\"observations\": [{\"strings\": [\"a\"], \"unique_id\": \"custom-1\"},"
          + " {\"strings\": [\"b\"], \"unique_id\": null}, {\"strings\": [\"c\"], \"emotives\": {\"joy\": 1}}, {}]}");
      assertThat(r.getObservationsList()).extracting(Observation::getUniqueId)
          .containsExactly("custom-1", "", "", "");
      assertThat(r.getObservations(0).getStringsList()).containsExactly("a");
      assertThat(r.getObservations(2).getEmotives(0).getValue()).isEqualTo(1.0);
      assertThat(r.getObservations(3).getStringsList()).isEmpty();
    }

    @Test
    void itemIssuesCarryTheItemIndex() {
      List<ValidationIssue> issues = issues(() -> sequence(
          "{\"observations\": [{\"strings\": [\"a\"]}, {\"strings\": [null]}, {\"strings\": \"x\"}]}"));
      assertThat(issues).extracting(ValidationIssue::loc).containsExactly(
          List.of("body", "observations", 1, "strings", 0),
          List.of("body", "observations", 2, "strings"));
      assertThat(issues).extracting(ValidationIssue::type).containsExactly("string_type", "list_type");
    }

    @Test
    void itemNotAnObject() {
      ValidationIssue issue = single(() -> sequence("{\"observations\": [{}, 5]}"));
      assertThat(issue.loc()).containsExactly("body", "observations", 1);
    }

    @Test
    void uniqueIdMustBeAString() {
      ValidationIssue issue = single(() -> sequence("{\"observations\": [{\"unique_id\": 5}]}"));
      assertThat(issue).isEqualTo(new ValidationIssue("string_type", List.of("body", "observations", 0, "unique_id"),
          "Input should be a valid string", 5L, null));
    }

    @Test
    void laxFlags() {
      ObserveSequenceRequest r = sequence(
          "{\"observations\": [], \"learn_after_each\": \"yes\", \"learn_at_end\": 1, \"clear_stm_between\": \"off\"}");
      assertThat(r.getLearnAfterEach()).isTrue();
      assertThat(r.getLearnAtEnd()).isTrue();
      assertThat(r.getClearStmBetween()).isFalse();
      assertThat(sequence("{\"observations\": [], \"learn_after_each\": \"TRUE\"}").getLearnAfterEach()).isTrue();
      assertThat(sequence("{\"observations\": [], \"learn_after_each\": 0.0}").getLearnAfterEach()).isFalse();
    }

    @Test
    void badFlags() {
      assertThat(single(() -> sequence("{\"observations\": [], \"learn_after_each\": \"maybe\"}"))).isEqualTo(
          new ValidationIssue("bool_parsing", List.of("body", "learn_after_each"),
              "Input should be a valid boolean, unable to interpret input", "maybe", null));
      assertThat(single(() -> sequence("{\"observations\": [], \"learn_at_end\": null}"))).isEqualTo(
          new ValidationIssue("bool_type", List.of("body", "learn_at_end"), "Input should be a valid boolean", null,
              null));
    }

    @Test
    void tooManyObservations() {
      assertThat(RequestModels.observeSequence(json("{\"observations\": [{}, {}]}"), SMALL).getObservationsCount())
          .isEqualTo(2);
      ValidationIssue issue = single(() -> RequestModels.observeSequence(json("{\"observations\": [{}, {}, {}]}"),
          SMALL));
      assertThat(issue.type()).isEqualTo("too_long");
      assertThat(issue.loc()).containsExactly("body", "observations");
      assertThat(issue.msg()).isEqualTo("List should have at most 2 items");
      assertThat(issue.ctx()).isEqualTo(Map.of("max_length", 2L));
    }

    @Test
    void itemLimitsCarryTheItemIndex() {
      ValidationIssue issue = single(() -> RequestModels.observeSequence(
          json("{\"observations\": [{}, {\"strings\": [\"a\", \"b\", \"c\"]}]}"), SMALL));
      assertThat(issue.type()).isEqualTo("too_long");
      assertThat(issue.loc()).containsExactly("body", "observations", 1, "strings");
    }

    @Test
    void bodyNotAnObject() {
      ValidationIssue issue = single(() -> sequence("[]"));
      assertThat(issue.type()).isEqualTo("model_attributes_type");
      assertThat(issue.loc()).containsExactly("body");
    }

    @Test
    void itemAndFlagIssuesTogether() {
      List<ValidationIssue> issues = issues(() -> sequence(
          "{\"observations\": [{\"emotives\": {\"j\": \"x\"}}], \"learn_at_end\": \"perhaps\"}"));
      assertThat(issues).extracting(ValidationIssue::loc).containsExactly(
          List.of("body", "observations", 0, "emotives", "j"), List.of("body", "learn_at_end"));
    }
  }

  // =============================================================================================
  @Nested
  class ConfigUpdate {
    @Test
    void wrappedConfig() {
      MapValue update = RequestModels.configUpdate(json("{\"config\": {\"recall_threshold\": 0.75, \"persistence\": 5}}"));
      Map<String, Object> expected = new LinkedHashMap<>();
      expected.put("recall_threshold", 0.75);
      expected.put("persistence", 5L);
      assertThat(java(update)).containsExactlyEntriesOf(expected);
      assertThat(update.getEntries(1).getValue().getKindCase()).isEqualTo(Value.KindCase.INT_VALUE);
    }

    @Test
    void bareMap() {
      MapValue update = RequestModels.configUpdate(json("{\"recall_threshold\": 0.75, \"persistence\": 5.0,"
          + " \"affinity_emotive\": null}"));
      assertThat(java(update).keySet()).containsExactly("recall_threshold", "persistence", "affinity_emotive");
      // not coerced: the worker checks strictly, so 5.0 must stay a float
      assertThat(update.getEntries(1).getValue().getKindCase()).isEqualTo(Value.KindCase.DOUBLE_VALUE);
      assertThat(update.getEntries(2).getValue().getKindCase()).isEqualTo(Value.KindCase.NULL_VALUE);
    }

    @Test
    void emptyObject() {
      assertThat(RequestModels.configUpdate(json("{}")).getEntriesList()).isEmpty();
      assertThat(RequestModels.configUpdate(json("{\"config\": {}}")).getEntriesList()).isEmpty();
    }

    @Test
    void configNotAnObject() {
      assertThat(single(() -> RequestModels.configUpdate(json("{\"config\": 5}")))).isEqualTo(new ValidationIssue(
          "dict_type", List.of("body", "config"), "Input should be a valid dictionary", 5L, null));
      assertThat(single(() -> RequestModels.configUpdate(json("{\"config\": [1]}"))).loc())
          .containsExactly("body", "config");
      assertThat(single(() -> RequestModels.configUpdate(json("{\"config\": null}"))).loc())
          .containsExactly("body", "config");
    }

    @Test
    void bodyNotAnObject() {
      for (String body : new String[] {"[]", "5", "\"x\"", "null"}) {
        ValidationIssue issue = single(() -> RequestModels.configUpdate(json(body)));
        assertThat(issue.type()).as(body).isEqualTo("dict_type");
        assertThat(issue.loc()).containsExactly("body");
        assertThat(issue.msg()).isEqualTo("Input should be a valid dictionary");
      }
      assertThat(single(() -> RequestModels.configUpdate(null)).type()).isEqualTo("dict_type");
    }
  }

  // =============================================================================================
  @Nested
  class ExtendTtl {
    @Test
    void queryParameter() {
      assertThat(RequestModels.extendTtl("10", null)).isEqualTo(10);
      assertThat(RequestModels.extendTtl(" 10 ", null)).isEqualTo(10);
      assertThat(RequestModels.extendTtl("10.0", null)).isEqualTo(10);
      assertThat(RequestModels.extendTtl("1", null)).isEqualTo(1);
    }

    @Test
    void defaultIs3600() {
      assertThat(RequestModels.extendTtl(null, null)).isEqualTo(3600);
      assertThat(RequestModels.extendTtl(null, json("{}"))).isEqualTo(3600);
      assertThat(RequestModels.extendTtl(null, json("{\"other\": 5}"))).isEqualTo(3600);
      assertThat(RequestModels.extendTtl(null, json("[1]"))).isEqualTo(3600);
    }

    @Test
    void bodyUsedOnlyWithoutQuery() {
      assertThat(RequestModels.extendTtl(null, json("{\"ttl_seconds\": 5}"))).isEqualTo(5);
      assertThat(RequestModels.extendTtl(null, json("{\"ttl_seconds\": \"6\"}"))).isEqualTo(6);
      assertThat(RequestModels.extendTtl("7", json("{\"ttl_seconds\": 5}"))).isEqualTo(7);
    }

    @Test
    void belowOne() {
      assertThat(single(() -> RequestModels.extendTtl("0", null))).isEqualTo(new ValidationIssue(
          "greater_than_equal", List.of("query", "ttl_seconds"), "Input should be greater than or equal to 1", 0L,
          Map.of("ge", 1L)));
      assertThat(single(() -> RequestModels.extendTtl("-5", null)).input()).isEqualTo(-5L);
      ValidationIssue fromBody = single(() -> RequestModels.extendTtl(null, json("{\"ttl_seconds\": 0}")));
      assertThat(fromBody.type()).isEqualTo("greater_than_equal");
      assertThat(fromBody.loc()).containsExactly("body", "ttl_seconds");
    }

    @Test
    void notAnInteger() {
      assertThat(single(() -> RequestModels.extendTtl("x", null))).isEqualTo(new ValidationIssue("int_parsing",
          List.of("query", "ttl_seconds"), "Input should be a valid integer, unable to parse string as an integer",
          "x", null));
      assertThat(single(() -> RequestModels.extendTtl("1.5", null)).type()).isEqualTo("int_parsing");
      assertThat(single(() -> RequestModels.extendTtl("", null)).loc()).containsExactly("query", "ttl_seconds");
      assertThat(single(() -> RequestModels.extendTtl("99999999999999999999999", null)).type())
          .isEqualTo("int_parsing_size");
    }
  }
}
