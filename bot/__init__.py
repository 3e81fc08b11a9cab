"""Settings, the app factory, channels, delivery, metrics and the command line: wires everything."""
