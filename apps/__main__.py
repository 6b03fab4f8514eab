"""The main job (`make demo`): each course cell on a toy task, then the apps on their defaults."""

from apps import toy


def main():
    print("== The course cells ==")
    toy.print_table(toy.run())


if __name__ == "__main__":
    main()
