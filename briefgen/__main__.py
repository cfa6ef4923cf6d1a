from briefgen.cli.main import main

main()
