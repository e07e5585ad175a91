from supportkpi.cli import main

main()
