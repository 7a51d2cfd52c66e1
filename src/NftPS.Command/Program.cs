// nftps: the native command. All of it is NftPS.Automation.NftpsCli in the core library; this is only its Main.
using NftPS.Automation;

var stdin = Console.IsInputRedirected ? Console.In : TextReader.Null;
var stdout = Console.Out;
int code = NftpsCli.Run(args, stdin, stdout, Console.Error);
stdout.Flush();
return code;
