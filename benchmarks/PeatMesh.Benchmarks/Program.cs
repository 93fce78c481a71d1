// Benchmark harness entry point; filled in by the walking-skeleton issue.
return 0;
