package io.keisei.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PathSegmentsTest {

    @Test
    void idsAreOneTo128LettersDigitsAndAFewMarks() {
        assertThat(PathSegments.isValidId("b5165f8b-ffc8-44b6-9d53-7b7c86858942")).isTrue();
        assertThat(PathSegments.isValidId("eval:abc@3_x.y")).isTrue();
        assertThat(PathSegments.isValidId("a..b")).isTrue();
        assertThat(PathSegments.isValidId("x".repeat(128))).isTrue();
        assertThat(PathSegments.isValidId("x".repeat(129))).isFalse();
        assertThat(PathSegments.isValidId("")).isFalse();
        assertThat(PathSegments.isValidId(null)).isFalse();
        assertThat(PathSegments.isValidId(".")).isFalse();
        assertThat(PathSegments.isValidId("..")).isFalse();
        for (String bad : new String[] {"a/b", "a b", "a%2Fb", "a?b", "a#b", "é", "ａ", "a\u0000", "a\nb", "a+b", "~a"}) {
            assertThat(PathSegments.isValidId(bad)).as(bad).isFalse();
        }
    }
}
