package io.kato.common.json;

/** Validation item types and their exact messages (API.md §1.4.3). */
public enum IssueType {
  MISSING("missing", "Field required"),
  STRING_TYPE("string_type", "Input should be a valid string"),
  INT_TYPE("int_type", "Input should be a valid integer"),
  INT_PARSING("int_parsing", "Input should be a valid integer, unable to parse string as an integer"),
  INT_FROM_FLOAT("int_from_float", "Input should be a valid integer, got a number with a fractional part"),
  INT_PARSING_SIZE("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size"),
  FLOAT_TYPE("float_type", "Input should be a valid number"),
  FLOAT_PARSING("float_parsing", "Input should be a valid number, unable to parse string as a number"),
  BOOL_TYPE("bool_type", "Input should be a valid boolean"),
  BOOL_PARSING("bool_parsing", "Input should be a valid boolean, unable to interpret input"),
  LIST_TYPE("list_type", "Input should be a valid list"),
  DICT_TYPE("dict_type", "Input should be a valid dictionary"),
  MODEL_ATTRIBUTES_TYPE("model_attributes_type", "Input should be a valid dictionary or object to extract fields from"),
  JSON_INVALID("json_invalid", "JSON decode error"),
  FINITE_NUMBER("finite_number", "Input should be a finite number");

  private final String type;
  private final String message;

  IssueType(String type, String message) {
    this.type = type;
    this.message = message;
  }

  public String type() {
    return type;
  }

  public String message() {
    return message;
  }
}
