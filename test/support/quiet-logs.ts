import { Logger } from '@nestjs/common';

// The test runner's output is its own: Nest's default console logger (used by code that runs
// outside an app, such as the migrations suite's data sources) writes only with TEST_LOG_LEVEL.
if (!process.env.TEST_LOG_LEVEL) Logger.overrideLogger(false);
