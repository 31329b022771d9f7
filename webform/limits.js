// @ts-check
// The counter's own limits (decoding.document, decoding.payload,
// decoding.forms.validators), written by `python -m counter_app.web`: do not edit.
export const MAX_FORMS = 10;
export const MAX_NAME = 40;
export const MAX_RELATION = 40;
export const MAX_PERSON_TEXT = 200;
export const MAX_SYMBOL_CHARS = 970;
export const MAX_PARTS = 16;
export const MAX_PLAINTEXT = 65536;
export const DEFAULT_MAX_LENGTH = {"text": 200, "longtext": 4000};
