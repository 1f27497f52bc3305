export { type Clock, calendarYearAt, ManualClock, systemClock } from './clock.js';
export {
  defineErrors,
  type ErrorCode,
  type ErrorSpec,
  errorAreas,
  errorRegistry,
  HetaoError,
  type HetaoErrorOptions,
  isHetaoError,
} from './errors/index.js';
export { assertId, createIdGenerator, type IdGenerator, idTime, isId } from './ids.js';
export { KeyedQueue, queueOf } from './keyed-queue.js';
