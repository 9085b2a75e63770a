import * as core from '@actions/core';
import { ECSClient, DescribeServicesCommand } from '@aws-sdk/client-ecs';
core.info(`hello ${typeof ECSClient} ${typeof DescribeServicesCommand}`);
