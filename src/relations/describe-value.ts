/** What a wrong argument was, for messages: its class name, or its type. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object'
  return typeof value
}
