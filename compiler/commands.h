/* The schemac commands; each takes the arguments after its name. */
#ifndef SC_COMMANDS_H
#define SC_COMMANDS_H

int sc_cmd_validate(int argc, char **argv);
int sc_cmd_fmt(int argc, char **argv);
int sc_cmd_print(int argc, char **argv);
int sc_cmd_pull(int argc, char **argv);
int sc_cmd_diff(int argc, char **argv);

#endif
