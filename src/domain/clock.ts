/** Time as a port: the core never reads the system clock itself. */
export interface Clock {
  now(): Date;
}
