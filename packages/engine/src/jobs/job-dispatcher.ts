// The dispatcher port. A dispatcher only tells a worker when to look at a job row: it may lose a
// message (a crash, a flushed Redis) or deliver one twice, because the row decides. The sweeper
// re-dispatches due rows nobody holds, and running a job whose row is gone or not due does nothing.

export interface DispatchedJob {
  id: string;
  due_at: Date;
}

/** runs the job of that row if it is still there, due and free; never throws */
export type JobRunner = (jobId: string) => Promise<void>;

export interface JobDispatcher {
  /** after commit: jobs to run at their due time (now, when already due) */
  dispatch(jobs: readonly DispatchedJob[]): Promise<void>;
  /** starts delivering dispatched jobs, at most `concurrency` at once */
  start(run: JobRunner, concurrency: number): Promise<void>;
  /** stops delivering; jobs running finish first */
  close(): Promise<void>;
}
