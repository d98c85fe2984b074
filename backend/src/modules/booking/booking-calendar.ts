import { builtinCalendar } from '../../adapters/calendar/builtin.js';
import type { CalendarPort } from '../../ports/calendar.js';

// The calendar behind the booking use cases. Their signatures are the module contract (tx, events, input),
// so the adapter is chosen here rather than passed in; only the built-in PostgreSQL calendar exists today.
export const calendar: CalendarPort = builtinCalendar;
