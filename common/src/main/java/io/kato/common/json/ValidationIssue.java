package io.kato.common.json;

import java.util.List;

/**
 * One pydantic-style validation item (API.md §1.4.3): {@code type}, {@code loc}, {@code msg},
 * the offending {@code input} (a Java JSON value) and an optional {@code ctx}.
 */
public record ValidationIssue(String type, List<Object> loc, String msg, Object input, Object ctx) {

  public ValidationIssue {
    loc = List.copyOf(loc);
  }

  static ValidationIssue of(IssueType type, List<Object> loc, Object input) {
    return new ValidationIssue(type.type(), loc, type.message(), input, null);
  }
}
