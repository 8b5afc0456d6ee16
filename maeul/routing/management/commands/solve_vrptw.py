"""Solve a VRPTW instance from the literature with the hub's solver and print
`routes=<n> distance=<total>` (the total in the instance's units)."""

from django.core.management.base import BaseCommand, CommandError

from maeul.routing.solver.vrptw import FormatError, read_instance, solve_instance


class Command(BaseCommand):
    help = (
        "Solve a VRPTW instance (TSPLIB/LKH-3 CVRPTW or Solomon format) with maeul's "
        "routing solver; prints routes=<n> distance=<total>."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if options["time_limit"] <= 0:
            raise CommandError("--time-limit must be positive")
        try:
            instance = read_instance(options["file"])
        except FileNotFoundError:
            raise CommandError(f"no such file: {options['file']}") from None
        except FormatError as error:
            raise CommandError(str(error)) from None
        result = solve_instance(instance, time_limit=options["time_limit"], seed=options["seed"])
        if not result.feasible:
            self.stderr.write("no feasible solution found within the time limit")
        self.stdout.write(result.line())
