const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid in its 36-character text form, any version, either case (as `IsUUID('all')` and ParseUUIDPipe accept). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
