// Placeholder: hosts the librdkafka mock cluster in its own process (see issue 2). Replaced by the Kafka transport work.
Console.Error.WriteLine("kappa-test-broker: not implemented yet");
return 1;
