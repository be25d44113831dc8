/** A Kubernetes Status error; the HTTP layer serialises it as a real `Status` object. */
export interface StatusCause { reason?: string; message?: string; field?: string }

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number },
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export const notFound = (plural: string, name: string, group = '') =>
  new ApiError(404, 'NotFound', `${group ? `${plural}.${group}` : plural} "${name}" not found`, { name, group: group || undefined, kind: plural });

export const alreadyExists = (plural: string, name: string, group = '') =>
  new ApiError(409, 'AlreadyExists', `${group ? `${plural}.${group}` : plural} "${name}" already exists`, { name, group: group || undefined, kind: plural });

export const conflict = (plural: string, name: string, group = '') =>
  new ApiError(409, 'Conflict',
    `Operation cannot be fulfilled on ${group ? `${plural}.${group}` : plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: group || undefined, kind: plural });

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

/** 422 as apierrors.NewInvalid: the message is the error list's aggregate ("[a, b]" when more than one distinct). */
export const invalid = (kind: string, name: string, causes: StatusCause[], group = '') => {
  const msgs = [...new Set(causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message}`))];
  return new ApiError(422, 'Invalid',
    `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${msgs.length > 1 ? `[${msgs.join(', ')}]` : msgs[0] ?? ''}`,
    { name, group: group || undefined, kind, causes });
};

export const expired = (message: string) => new ApiError(410, 'Expired', message);
