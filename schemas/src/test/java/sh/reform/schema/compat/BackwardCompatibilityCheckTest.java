package sh.reform.schema.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import sh.reform.schema.Contract;
import sh.reform.schema.events.OutcomeReported;

class BackwardCompatibilityCheckTest {

    private static final Schema RELEASED = SchemaBuilder.record("Outcome").namespace("t").fields()
            .requiredString("metricId")
            .name("envelope").type(SchemaBuilder.record("Env").namespace("t").fields()
                    .requiredString("eventId").endRecord()).noDefault()
            .endRecord();

    @Test
    void acceptsNewFieldWithDefault() {
        Schema current = SchemaBuilder.record("Outcome").namespace("t").fields()
                .requiredString("metricId")
                .name("envelope").type(SchemaBuilder.record("Env").namespace("t").fields()
                        .requiredString("eventId").endRecord()).noDefault()
                .name("evidenceRef").type().nullable().stringType().noDefault()
                .endRecord();
        assertThat(BackwardCompatibilityCheck.problems(RELEASED, current)).isEmpty();
    }

    @Test
    void refusesNewNestedFieldWithoutDefaultNamingTheField() {
        Schema current = SchemaBuilder.record("Outcome").namespace("t").fields()
                .requiredString("metricId")
                .name("envelope").type(SchemaBuilder.record("Env").namespace("t").fields()
                        .requiredString("eventId").requiredString("tenant").endRecord()).noDefault()
                .endRecord();
        assertThat(BackwardCompatibilityCheck.problems(RELEASED, current))
                .singleElement().asString()
                .contains("envelope.tenant").contains("default");
    }

    @Test
    void refusesTypeChangeNamingTheField() {
        Schema current = SchemaBuilder.record("Outcome").namespace("t").fields()
                .requiredInt("metricId")
                .name("envelope").type(SchemaBuilder.record("Env").namespace("t").fields()
                        .requiredString("eventId").endRecord()).noDefault()
                .endRecord();
        assertThat(BackwardCompatibilityCheck.problems(RELEASED, current))
                .anySatisfy(p -> assertThat(p).contains("'metricId'"));
    }

    @Test
    void everyContractTypeIsCompatibleWithItself() {
        for (var type : Contract.TYPES) {
            Schema s = Contract.schemaOf(type);
            assertThat(BackwardCompatibilityCheck.problems(s, s)).as(s.getFullName()).isEmpty();
        }
        assertThat(Contract.schemaOf(OutcomeReported.class).getField("envelope")).isNotNull();
    }
}
