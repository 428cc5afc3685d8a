/** The report view's questions to the reporter and their answers (issue 20 item 1). */
export const questionsEn = {
  'questions.heading': 'Questions to the reporter',
  'questions.hint': 'The reporter sees your question when they check the report, and can answer and add captures. Asking moves the report to “needs more information”.',
  'questions.none': 'No questions asked yet.',
  'questions.asked': 'Asked by {who} · {when}',
  'questions.askedByGone': 'a former moderator',
  'questions.answered': 'Answered by the reporter · {when}',
  'questions.waiting': 'Not answered yet.',
  'questions.addedItems': 'Items the reporter added ({count})',
  'questions.ask': 'Ask the reporter a question',
  'questions.askHint': 'Plain words, one question. Do not include anything the reporter did not tell you.',
  'questions.send': 'Ask',
  'questions.closed': 'This report is closed, so no more questions can be asked.',
  'flash.question': 'Question asked. The report now needs more information from the reporter.',
  'flash.questionClosed': 'A closed report takes no questions.',
} as const;
