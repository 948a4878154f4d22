/** The formats `strangler report` writes (kept apart so the CLI can list them without loading the report code). */
export const REPORT_FORMATS = ['text', 'json', 'md', 'html'] as const
export type ReportFormat = typeof REPORT_FORMATS[number]
