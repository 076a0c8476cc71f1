Console.WriteLine("Kappa orders sample: not wired yet.");
