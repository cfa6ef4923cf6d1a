"""The command line: argument parsing, printing, exit codes, watch mode, starter files."""
