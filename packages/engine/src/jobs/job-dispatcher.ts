// The dispatcher port. A dispatcher only tells a worker when to look at a job row: it may lose a
// message (a crash, a flushed Redis) or deliver one twice, because the row decides. The sweeper
// re-dispatches due rows nobody holds, and running a job whose row is gone or not due does nothing.

import type { JobRow } from '../execution/instance-state.js';

/** a job row by its id, with what a worker needs to run it without reading the row first */
export interface JobRef extends Pick<JobRow, 'id' | 'process_instance_id' | 'type'> {
  /** when it came due, as dispatched: how late its run begins */
  due_at?: Date;
  /** the traceparent of the command that wrote it: its run's span links to that command's */
  trace_parent?: string | null;
}

export interface DispatchedJob extends JobRef {
  due_at: Date;
  /**
   * its due time was changed by hand: a reminder still waiting for the old time must make way for this
   * one, or a job moved earlier would wait for its old time where a dispatcher keeps the first reminder
   */
  replace?: boolean;
}

/** runs the job of that row if it is still there, due and free; never throws */
export type JobRunner = (job: JobRef) => Promise<void>;

/** external tasks wait on these topics (on any, when none are named): the engine's in-process handlers of them may fetch */
export type TopicListener = (topics?: string[]) => void;

export interface JobDispatcher {
  /** after commit: jobs to run at their due time (now, when already due) */
  dispatch(jobs: readonly DispatchedJob[]): Promise<void>;
  /** starts delivering dispatched jobs, at most `concurrency` at once */
  start(run: JobRunner, concurrency: number): Promise<void>;
  /** stops delivering; jobs running finish first, unless `giveUp` aborts while they run */
  close(giveUp?: AbortSignal): Promise<void>;
  /** tells the other engines sharing this dispatcher, if any, that new external tasks wait on these topics */
  announce(topics: readonly string[]): Promise<void>;
  /**
   * from now on, what other engines announce goes to `heard`; when it starts to hear them, `heard` is
   * called with no topics, for what was announced before
   */
  listen(heard: TopicListener): Promise<void>;
}
