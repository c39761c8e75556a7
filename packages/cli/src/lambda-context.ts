/** The Lambda context a local run hands the real handlers (timeline and rollout runs alike). */
export function localLambdaContext(functionName: string, invokedFunctionArn = `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`) {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn,
    memoryLimitInMB: '256',
    awsRequestId: 'local',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
