/** The formats `strangler status` writes (kept apart so the CLI can list them without loading the status code). */
export const STATUS_FORMATS = ['text', 'json', 'md', 'html'] as const
export type StatusFormat = typeof STATUS_FORMATS[number]
