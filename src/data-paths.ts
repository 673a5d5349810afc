/** Where the bot's data files are, relative to the working directory; read by the features, the dashboard, the CLI and the playground. */
export const paths = {
  content: 'content',
  postingSchedule: 'schedules/posting.yaml',
  reportingCalendar: 'schedules/reporting-calendar.yaml',
  emergencyKeywords: 'content/tips/emergency-keywords.yaml',
  tipResponse: 'schedules/tip-response.yaml',
}
