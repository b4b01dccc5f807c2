from openledger.cli import main

main()
