from awesomerge.cli import main

main()
