/** Code lists of review boards (their words are in the catalogues under `boards.`). */
export { AGENDA_SOURCES, BOARD_QUESTIONS, BOARD_ROLES, MEETING_STATES, OUTCOMES, VOTES } from '../../../core/boards';
export type { BoardQuestion, BoardRole, MeetingState, Outcome, Vote } from '../../../core/boards';
