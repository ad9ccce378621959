package io.kato.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VectorTextTest {

    private static double[] filled(int length, double value) {
        double[] v = new double[length];
        Arrays.fill(v, value);
        return v;
    }

    /** The §2.5 examples table: vector, canonical text, upstream's name. */
    static Stream<Arguments> specTable() {
        return Stream.of(
                Arguments.of(new double[] {1, 2, 3, 4}, "[1. 2. 3. 4.]",
                        "VCTR|479e1c052464ab7fe6302425de4081eba0f93058"),
                Arguments.of(new double[] {1 + 0.5, 2 + 0.5, 3 + 0.5, 4 + 0.5}, "[1.5 2.5 3.5 4.5]",
                        "VCTR|278c296b55f0d17605870d04dcb680563ea45f60"),
                Arguments.of(new double[] {0.1, 0.2, 0.3}, "[0.1 0.2 0.3]",
                        "VCTR|e09ff768f2b2a0f5d5e78932dc977709e8c35f57"),
                Arguments.of(new double[] {1.0 / 3, 2.0 / 3}, "[0.33333333 0.66666667]",
                        "VCTR|56fab9df37efc757e416483f519f4d388e350603"),
                Arguments.of(new double[] {0.001953125}, "[0.00195312]",
                        "VCTR|904eea9c2b398e2cc9fb6da6924718c9bdd18c1f"),
                Arguments.of(new double[] {0.0001, 0.1}, "[0.0001 0.1   ]",
                        "VCTR|7485dc37311a351b1feeb6bb7f6e0a1f1ea34a6a"),
                Arguments.of(new double[] {-0.0, 0.0}, "[-0.  0.]",
                        "VCTR|1d6f901d1ee35bf26891c82724fc3b43b770d133"),
                Arguments.of(new double[] {1e-5, 1}, "[1.e-05 1.e+00]",
                        "VCTR|db4d58e9dcc12fc54db9cdf0d30e335dd650407e"),
                Arguments.of(new double[] {1, 2000}, "[1.e+00 2.e+03]",
                        "VCTR|a92891165b8752931668ace7b7aa02d59e75e182"),
                Arguments.of(new double[] {-1.5, 2.25, 0.001}, "[-1.50e+00  2.25e+00  1.00e-03]",
                        "VCTR|c0846d514d1c34f4862bb4b541eacf7277a02ea7"),
                Arguments.of(new double[] {0.25, -3.0, 1e-05, 7.5}, "[ 2.5e-01 -3.0e+00  1.0e-05  7.5e+00]",
                        "VCTR|73cc6525274669db9acf36fb724d971fa1d8d839"),
                Arguments.of(new double[] {123456789.0}, "[1.23456789e+08]",
                        "VCTR|a42bc818aa8a02caf8294c22183ceb6b3748df80"),
                Arguments.of(new double[] {1e-300, 1.0}, "[1.e-300 1.e+000]",
                        "VCTR|0a6ede9d629e8d24af444e6e24d4bb007098131c"),
                Arguments.of(IntStream.range(0, 30).asDoubleStream().toArray(),
                        "[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n"
                                + " 18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.]",
                        "VCTR|569ca6c5fef125924e7fc5c3c523fbe33c855271"),
                Arguments.of(filled(20, 0.5),
                        "[0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5\n 0.5 0.5]",
                        "VCTR|257935b1336b31bfc3f86f6b183b40460c4c3e43"),
                Arguments.of(filled(1001, 0.0), "[0. 0. 0. ... 0. 0. 0.]",
                        "VCTR|16b1e69281878f9fd23ecbd36c01cfffa64a4910"),
                Arguments.of(new double[0], "[]",
                        "VCTR|97d170e1550eee4afc0af065b78cda302a97674c"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("specTable")
    void specTableTextAndName(double[] v, String text, String name) {
        assertThat(VectorText.format(v)).isEqualTo(text);
        assertThat(VectorText.vectorName(v)).isEqualTo(name);
    }

    static Stream<Arguments> otherSpecValues() {
        return Stream.of(
                Arguments.of(new double[] {9.9999999999e-5}, "[1.e-04]"),
                Arguments.of(new double[] {0.999999999}, "[1.]"),
                Arguments.of(new double[] {99999999.99999999}, "[99999999.99999999]"),
                Arguments.of(new double[] {12345678.123456789}, "[12345678.12345679]"),
                Arguments.of(new double[] {0.0, 1e-5}, "[0.e+00 1.e-05]"),
                Arguments.of(new double[] {0.5, 500.1}, "[5.000e-01 5.001e+02]"),
                Arguments.of(new double[] {0.000100015}, "[0.00010001]"),
                Arguments.of(new double[] {1, 1000}, "[   1. 1000.]"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("otherSpecValues")
    void otherSpecValues(double[] v, String text) {
        assertThat(VectorText.format(v)).isEqualTo(text);
    }

    @Test
    void eventWithVectorAndStrings() {
        assertThat(VectorText.vectorName(new double[] {1.0, 2.0}))
                .isEqualTo("VCTR|6786a5fc0b30a70ed8fdbaaa451e7c26b5d6c359");
    }

    @Test
    void summaryUsesOnlyTheShownComponentsForNotation() {
        double[] v = filled(1001, 1.0);
        v[500] = 1e300; // hidden by the summary: must not switch to scientific notation
        assertThat(VectorText.format(v)).isEqualTo("[1. 1. 1. ... 1. 1. 1.]");
    }

    /** 300 random vectors (lengths 0–1010, every kind of value) against numpy 2.4's str(). */
    @Test
    void matchesNumpy() {
        List<String> lines = TestData.lines("numpy-vector-text.txt");
        assertThat(lines).hasSize(600);
        for (int i = 0; i < lines.size(); i += 2) {
            String components = lines.get(i).substring(1);
            double[] v = components.isEmpty()
                    ? new double[0]
                    : Arrays.stream(components.split(" ")).mapToDouble(Double::parseDouble).toArray();
            String expected = lines.get(i + 1).substring(1).replace('|', '\n');
            assertThat(VectorText.format(v)).as("vector #%d", i / 2).isEqualTo(expected);
        }
    }
}
