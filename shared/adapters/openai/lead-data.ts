/**
 * How the lead's words reach a model: one JSON document between delimiters in the user
 * message, never in the system prompt, so an instruction inside it is read as data.
 */
export const DATA_OPEN = '<lead_data>';
export const DATA_CLOSE = '</lead_data>';

/** The user message: the data as JSON, with `<` and `>` escaped so it cannot close the block early. */
export function leadDataMessage(data: unknown): string {
  return `${DATA_OPEN}\n${encodeData(data)}\n${DATA_CLOSE}`;
}

/** JSON with `<` and `>` escaped (still valid JSON), so the data cannot contain the delimiters. */
export function encodeData(data: unknown): string {
  return JSON.stringify(data).replaceAll('<', '\\u003c').replaceAll('>', '\\u003e');
}

/** Bounds what is sent, to keep the prompt (and its latency and cost) small. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
