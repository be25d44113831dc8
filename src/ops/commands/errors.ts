/** A mistake in what the user typed or pointed at: shown as one line, nothing is executed. */
export class OpsInputError extends Error {}
